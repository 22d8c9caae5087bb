package io.irisx.messaging.email.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTML body with its links made tracking links and an open pixel added, and the links it had; immutable. Not API.
 *
 * <p>Each {@code <a>} tag's {@code href} (quoted with either quote, or not) whose value, its character references
 * decoded, is an absolute {@code http} or {@code https} URL becomes the click link of its position (0, 1, …, in the
 * order of the body); the others ({@code mailto:}, anchors, relative links, URLs that do not parse, and those longer
 * than {@value #MAX_URL} characters) stay as they are, as do the links after the first {@value #MAX_LINKS}. The
 * pixel, {@code <img src="…" width="1" height="1" alt="">}, goes before the last {@code </body>}, or at the end
 * when there is none.
 *
 * @param html the body to send
 * @param links the links replaced, by position
 */
public record TrackedHtml(String html, List<String> links) {

    /** The most links of one email that are tracked. */
    public static final int MAX_LINKS = 500;
    /** The longest link that is tracked. */
    public static final int MAX_URL = 2048;

    private static final Pattern ANCHOR = Pattern.compile("<a\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HREF = Pattern.compile(
            "(\\shref\\s*=\\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern BODY_END = Pattern.compile("</body\\s*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern REFERENCE = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});");
    private static final Map<String, String> NAMED = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
            "apos", "'");

    /** Checks that nothing is missing, and copies the links. */
    public TrackedHtml {
        links = List.copyOf(links);
    }

    /**
     * {@code html} with the link of position {@code i} replaced by {@code clickUrl.apply(i)} and the pixel of
     * {@code openUrl} added.
     */
    public static TrackedHtml of(String html, IntFunction<String> clickUrl, String openUrl) {
        List<String> links = new ArrayList<>();
        Matcher anchors = ANCHOR.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 256);
        while (anchors.find()) {
            anchors.appendReplacement(out, Matcher.quoteReplacement(rewrite(anchors.group(), links, clickUrl)));
        }
        anchors.appendTail(out);
        String pixel = "<img src=\"" + openUrl + "\" width=\"1\" height=\"1\" alt=\"\">";
        int end = lastBodyEnd(out);
        if (end >= 0) {
            out.insert(end, pixel);
        } else {
            out.append(pixel);
        }
        return new TrackedHtml(out.toString(), links);
    }

    private static String rewrite(String tag, List<String> links, IntFunction<String> clickUrl) {
        Matcher href = HREF.matcher(tag);
        if (!href.find() || links.size() >= MAX_LINKS) {
            return tag;
        }
        String raw = href.group(2) != null ? href.group(2) : href.group(3) != null ? href.group(3) : href.group(4);
        String url = decode(raw).strip();
        if (!trackable(url)) {
            return tag;
        }
        String replaced = href.group(1) + "\"" + clickUrl.apply(links.size()) + "\"";
        links.add(url);
        return tag.substring(0, href.start()) + replaced + tag.substring(href.end());
    }

    /** Whether {@code url} is an absolute http(s) URL with a host, short enough, with no control character. */
    private static boolean trackable(String url) {
        if (url.length() > MAX_URL || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** {@code text} with its numeric character references and the five XML named ones decoded. */
    static String decode(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher reference = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (reference.find()) {
            String name = reference.group(1);
            String decoded;
            if (name.charAt(0) == '#') {
                boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
                int code = Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
                decoded = Character.isValidCodePoint(code) ? Character.toString(code) : reference.group();
            } else {
                decoded = NAMED.getOrDefault(name.toLowerCase(Locale.ROOT), reference.group());
            }
            reference.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        reference.appendTail(out);
        return out.toString();
    }

    private static int lastBodyEnd(CharSequence html) {
        Matcher end = BODY_END.matcher(html);
        int last = -1;
        while (end.find()) {
            last = end.start();
        }
        return last;
    }
}
