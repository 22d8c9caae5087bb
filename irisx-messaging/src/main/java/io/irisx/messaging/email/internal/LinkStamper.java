package io.irisx.messaging.email.internal;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Puts the links in an email as it is sent: the unsubscribe headers of a marketing email (RFC 2369's
 * {@code List-Unsubscribe}, RFC 8058's {@code List-Unsubscribe-Post}) and, when the email and its tenant are
 * tracked, the click links and the open pixel of its HTML body. Each link's token is signed with the tenant's key.
 * Immutable and thread-safe. Not API.
 */
public final class LinkStamper {

    /** The header that names the unsubscribe links (RFC 2369). */
    public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    /** The header that says the HTTPS link unsubscribes with one POST (RFC 8058). */
    public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
    /** The value of {@link #LIST_UNSUBSCRIBE_POST}, and the body of the one-click POST. */
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private final LinkKeys keys;
    private final String baseUrl;
    private final Optional<String> mailbox;
    private final Predicate<TenantId> tracking;

    /**
     * Links under {@code baseUrl} ({@code https://…}, no trailing slash), with a {@code mailto:} unsubscribe link to
     * {@code mailbox} when given, tracking the emails of the tenants {@code tracking} accepts.
     */
    public LinkStamper(LinkKeys keys, String baseUrl, Optional<String> mailbox, Predicate<TenantId> tracking) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
        this.tracking = Objects.requireNonNull(tracking, "tracking");
    }

    /**
     * An email as it is sent, and the links of its body that it tracks.
     *
     * @param email the email
     * @param links its tracked links, by position; empty when it is not tracked
     */
    public record Stamped(Email email, List<String> links) {
    }

    /**
     * Refuses a marketing email that cannot carry its recipient's unsubscribe link: when there are no {@code links},
     * when it has more than one recipient, or when it sets the unsubscribe headers itself.
     *
     * @throws IrisxValidationException naming {@code stream}, {@code to} or {@code headers.List-Unsubscribe}
     */
    public static void checkMarketing(EmailMessage message, boolean links) {
        if (message.stream() != EmailStream.MARKETING) {
            return;
        }
        if (!links) {
            throw new IrisxValidationException("stream", EmailStream.MARKETING, "needs the one-click unsubscribe"
                    + " links every marketing email carries (RFC 8058), and its module has none: set"
                    + " EmailModule.Builder.links(baseUrl)");
        }
        int recipients = message.to().size() + message.cc().size() + message.bcc().size();
        if (recipients != 1) {
            throw new IrisxValidationException("to", recipients + " recipients", "a marketing email has exactly one"
                    + " recipient, so that its unsubscribe link unsubscribes that recipient alone: send one email per"
                    + " recipient");
        }
        for (String name : message.headers().keySet()) {
            if (name.equalsIgnoreCase(LIST_UNSUBSCRIBE)
                    || name.equalsIgnoreCase(LIST_UNSUBSCRIBE_POST)) {
                throw new IrisxValidationException("headers." + name, message.headers().get(name), "is set by IRISX"
                        + " on a marketing email, to its own one-click unsubscribe link");
            }
        }
    }

    /**
     * {@code email}, one recipient's alone, with its links: unsubscribe headers when it is a marketing email, and
     * tracking when {@code track} is asked, its tenant is tracked and it has an HTML body.
     */
    public Stamped stamp(Email email, boolean track) {
        Map<String, String> headers = email.headers();
        if (email.stream() == EmailStream.MARKETING) {
            String token = new LinkToken(LinkToken.Purpose.UNSUBSCRIBE, email.tenant(), email.id(), 0, 0).sign(keys);
            headers = new LinkedHashMap<>(headers);
            headers.put(LIST_UNSUBSCRIBE, "<" + url(LinkToken.Purpose.UNSUBSCRIBE, token) + ">"
                    + mailbox.map(address -> ", <mailto:" + address + "?subject=unsubscribe-" + token + ">").orElse(""));
            headers.put(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
        }
        if (!track || email.html().isEmpty() || !tracking.test(email.tenant())) {
            return new Stamped(with(email, headers, email.html()), List.of());
        }
        TrackedHtml tracked = TrackedHtml.of(email.html(),
                position -> url(LinkToken.Purpose.CLICK, new LinkToken(LinkToken.Purpose.CLICK, email.tenant(),
                        email.id(), 0, position).sign(keys)),
                url(LinkToken.Purpose.OPEN, new LinkToken(LinkToken.Purpose.OPEN, email.tenant(), email.id(), 0, 0)
                        .sign(keys)));
        return new Stamped(with(email, headers, tracked.html()), tracked.links());
    }

    private String url(LinkToken.Purpose purpose, String token) {
        return baseUrl + "/" + purpose.letter() + "/" + token;
    }

    private static Email with(Email email, Map<String, String> headers, String html) {
        return new Email(email.id(), email.tenant(), email.idempotencyKey(), email.status(), email.stream(),
                email.from(), email.to(), email.cc(), email.bcc(), email.replyTo(), email.subject(), email.text(), html,
                Collections.unmodifiableMap(headers), email.tags(), email.metadata(), email.template(), email.attachmentCount(), email.attempts(),
                email.provider(), email.providerMessageId(), email.possibleDuplicate(), email.lastError(),
                email.createdAt(), email.updatedAt(), email.sentAt(), email.test());
    }

    @Override
    public String toString() {
        return "LinkStamper[" + baseUrl + mailbox.map(m -> " mailto").orElse("") + "]";
    }
}
