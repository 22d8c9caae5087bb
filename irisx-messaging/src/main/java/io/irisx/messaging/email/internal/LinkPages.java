package io.irisx.messaging.email.internal;

import io.irisx.core.callback.CallbackResponse;
import io.irisx.messaging.email.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The responses of the unsubscribe and tracking links: pages, the pixel, refusals. Stateless. Not API. */
public final class LinkPages {

    /** A transparent 1×1 GIF. */
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private static final String NO_CACHE = "no-store, no-cache, must-revalidate, max-age=0";
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Type", "text/html; charset=utf-8",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer",
            "X-Robots-Tag", "noindex, nofollow",
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
                    + " frame-ancestors 'none'");

    private LinkPages() {
    }

    /** The page that asks to confirm: a form that POSTs the one-click body to the page's own URL. */
    public static CallbackResponse confirm(EmailAddress sender) {
        return page(200, "Unsubscribe", "<p>Stop receiving these emails from " + escape(shown(sender)) + "?</p>\n"
                + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    /** The page after unsubscribing. */
    public static CallbackResponse unsubscribed(EmailAddress sender) {
        return page(200, "Unsubscribed", "<p>You will no longer receive these emails from " + escape(shown(sender))
                + ".</p>");
    }

    /** The open pixel, never cached, so that each open asks again. */
    public static CallbackResponse pixel() {
        return new CallbackResponse(200, Map.of("Content-Type", "image/gif", "Cache-Control", NO_CACHE,
                "Pragma", "no-cache", "Expires", "0"), PIXEL);
    }

    /** A refusal: {@code status} with a plain-text reason, never cached. */
    public static CallbackResponse refusal(int status, String reason) {
        return new CallbackResponse(status, Map.of("Content-Type", "text/plain; charset=utf-8",
                "Cache-Control", "no-store"), reason.getBytes(StandardCharsets.UTF_8));
    }

    /** A 405 naming the methods {@code allowed}. */
    public static CallbackResponse methodNotAllowed(String allowed) {
        return new CallbackResponse(405, Map.of("Content-Type", "text/plain; charset=utf-8", "Allow", allowed,
                "Cache-Control", "no-store"), ("only " + allowed + " here").getBytes(
                        StandardCharsets.UTF_8));
    }

    private static CallbackResponse page(int status, String title, String body) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"robots\" content=\"noindex, nofollow\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + title + "</title></head>\n<body><main><h1>" + title + "</h1>\n" + body
                + "\n</main></body></html>\n";
        return new CallbackResponse(status, PAGE_HEADERS, html.getBytes(StandardCharsets.UTF_8));
    }

    private static String shown(EmailAddress sender) {
        return sender.name().isBlank() ? sender.address() : sender.name();
    }

    /** {@code text} safe in HTML text and attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
