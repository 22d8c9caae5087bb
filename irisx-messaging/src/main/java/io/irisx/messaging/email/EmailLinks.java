package io.irisx.messaging.email;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.EventType;
import io.irisx.core.id.EventId;
import io.irisx.messaging.email.internal.EmailRows;
import io.irisx.messaging.email.internal.EmailStore;
import io.irisx.messaging.email.internal.LinkKeys;
import io.irisx.messaging.email.internal.LinkPages;
import io.irisx.messaging.email.internal.LinkRows;
import io.irisx.messaging.email.internal.LinkStamper;
import io.irisx.messaging.email.internal.LinkToken;
import io.irisx.messaging.email.internal.MultipartForm;
import io.irisx.messaging.email.internal.SuppressionRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of the links IRISX puts in emails — one-click unsubscribe, open pixel, click redirect — free of any web
 * framework; thread-safe, one per runtime, from {@link EmailModule#links()}. The host mounts it at the module's
 * {@linkplain EmailModule.Builder#links(String) links base URL} (every path under it), builds a
 * {@link CallbackRequest} from each request, and writes back the {@link CallbackResponse}. It needs no
 * authentication: each link's token names the tenant, the email and the recipient, signed (HMAC-SHA256) with the
 * tenant's own key, and a token that is malformed, altered, of another purpose or of another tenant's key is
 * answered 403, changing nothing. A valid token of an email the tenant no longer has is answered 404.
 *
 * <p>By the path's last two segments:
 * <ul>
 *   <li>{@code POST …/u/TOKEN} with the body {@code List-Unsubscribe=One-Click} ({@code application/x-www-form-urlencoded}
 *       or {@code multipart/form-data}, as RFC 8058 §3.2 lets a mail client send it; no cookie nor credential is
 *       needed) puts the recipient on the tenant's suppression list of the email's stream, reason
 *       {@link Suppression.Reason#UNSUBSCRIBE}, and, when it was not on it, adds a history entry and emits
 *       {@code email.unsubscribed}, in one transaction; 200 with a short page. Another body is answered 400.</li>
 *   <li>{@code GET …/u/TOKEN} answers a page that asks to confirm, with a form that sends that POST. It unsubscribes
 *       no one: mail scanners fetch the links of an email.</li>
 *   <li>{@code GET …/o/TOKEN} counts an open and answers a transparent 1×1 GIF that is not to be cached.</li>
 *   <li>{@code GET …/c/TOKEN} counts a click and redirects (302) to the link the email had at the token's position,
 *       as stored when it was sent; the request can name no other.</li>
 * </ul>
 * Other methods are answered 405, other paths 404.
 *
 * <p>Opens and clicks are counted per recipient, and clicks per link: the first is a history entry and an
 * {@code email.opened} or {@code email.clicked} event (with {@code "machine"} in its data for an open, and the link
 * for a click), and the later ones only add to its count ({@link EmailClient#engagements}). An open whose request
 * shows a known prefetching proxy rather than the recipient is a <em>machine</em> open, counted apart, and its first
 * is an event with {@code "machine": true}: a {@code User-Agent} containing {@code GoogleImageProxy} (Gmail's image
 * proxy) or {@code YahooMailProxy}, or a {@code Sec-Purpose}, {@code Purpose} or {@code X-Moz} header saying
 * {@code prefetch}. Apple Mail Privacy Protection, known only by the addresses it fetches from, is not detected.
 *
 * <p>The {@code mailto:} unsubscribe link (when the module has an unsubscribe mailbox) is answered by the host's
 * inbound mail: it hands each message's subject to {@link #unsubscribeByMail(String)}.
 */
public final class EmailLinks {

    private static final Logger log = LoggerFactory.getLogger(EmailLinks.class);
    private static final Pattern ROUTE = Pattern.compile("(?:^|/)([uoc])/([^/]*)/?$");
    private static final Pattern MAIL_SUBJECT = Pattern.compile("unsubscribe-([A-Za-z0-9_-]{1,"
            + LinkToken.MAX_LENGTH + "})");
    private static final List<String> MACHINE_AGENTS = List.of("GoogleImageProxy", "YahooMailProxy");
    private static final List<String> PREFETCH_HEADERS = List.of("Sec-Purpose", "Purpose", "X-Moz");

    private final EmailStore store;
    private final LinkKeys keys;

    EmailLinks(EmailStore store, LinkKeys keys) {
        this.store = store;
        this.keys = keys;
    }

    /** Answers one request to a link, as the class says. */
    public CallbackResponse handle(CallbackRequest request) {
        Objects.requireNonNull(request, "request");
        Matcher route = ROUTE.matcher(request.path());
        if (!route.find()) {
            return LinkPages.refusal(404, "no such link");
        }
        LinkToken.Purpose purpose = LinkToken.Purpose.of(route.group(1).charAt(0)).orElseThrow();
        boolean post = request.is("POST");
        if (!request.is("GET") && !(post && purpose == LinkToken.Purpose.UNSUBSCRIBE)) {
            return LinkPages.methodNotAllowed(purpose == LinkToken.Purpose.UNSUBSCRIBE ? "GET, POST" : "GET");
        }
        Optional<LinkToken> token = LinkToken.verify(route.group(2), purpose, keys);
        if (token.isEmpty()) {
            log.debug("irisx email: refused a {} link whose token does not verify", purpose);
            return LinkPages.refusal(403, "this link is not valid");
        }
        return switch (purpose) {
            case UNSUBSCRIBE -> post ? unsubscribe(token.get(), request) : confirm(token.get());
            case OPEN -> open(token.get(), request);
            case CLICK -> click(token.get());
        };
    }

    /**
     * Unsubscribes by the {@code mailto:} link: {@code subject} is the subject of a message to the module's
     * unsubscribe mailbox, which holds {@code unsubscribe-TOKEN} (a reply's {@code Re:} and the like may surround
     * it). The recipient the token names is suppressed as by the one-click POST.
     *
     * @return whether the subject held a valid token of an email the tenant has; false changes nothing
     */
    public boolean unsubscribeByMail(String subject) {
        Objects.requireNonNull(subject, "subject");
        Matcher found = MAIL_SUBJECT.matcher(subject);
        if (!found.find()) {
            return false;
        }
        Optional<LinkToken> token = LinkToken.verify(found.group(1), LinkToken.Purpose.UNSUBSCRIBE, keys);
        return token.isPresent() && suppress(token.get(), "unsubscribe mailto", "unsubscribed by mail").isPresent();
    }

    private CallbackResponse confirm(LinkToken token) {
        return store.database().withConnection(connection -> recipient(connection, token))
                .map(found -> LinkPages.confirm(found.email().from()))
                .orElseGet(EmailLinks::gone);
    }

    private CallbackResponse unsubscribe(LinkToken token, CallbackRequest request) {
        if (!oneClick(request)) {
            return LinkPages.refusal(400, "the body must be " + LinkStamper.ONE_CLICK + " (RFC 8058)");
        }
        return suppress(token, "unsubscribe link", "unsubscribed by the one-click link (RFC 8058)")
                .map(LinkPages::unsubscribed)
                .orElseGet(EmailLinks::gone);
    }

    /** Suppresses the token's recipient on its email's stream; the email's sender, or empty when it is gone. */
    private Optional<EmailAddress> suppress(LinkToken token, String source, String detail) {
        return store.database().inTransaction(connection -> {
            Optional<Recipient> found = recipient(connection, token);
            if (found.isEmpty()) {
                return Optional.<EmailAddress>empty();
            }
            Email email = found.get().email();
            String recipient = found.get().address();
            Instant now = store.clock().instant();
            if (SuppressionRows.add(connection, token.tenant(), email.stream(), recipient,
                    Suppression.Reason.UNSUBSCRIBE, source + " " + email.id(), detail, now.toEpochMilli())) {
                store.engaged(connection, email, new StatusChange(EventId.generate(), email.status(),
                        EventType.EMAIL_UNSUBSCRIBED, Optional.empty(), Optional.of(recipient), detail, now), "",
                        Map.of());
            }
            return Optional.of(email.from());
        });
    }

    private CallbackResponse open(LinkToken token, CallbackRequest request) {
        Optional<String> machine = machine(request);
        String detail = machine.map(reason -> "opened by a machine (" + reason + ")").orElse("opened");
        boolean found = store.database().inTransaction(connection -> count(connection, token,
                Engagement.Kind.OPEN, -1, machine.isPresent(), EventType.EMAIL_OPENED, "", detail,
                Map.of("machine", machine.isPresent())));
        return found ? LinkPages.pixel() : gone();
    }

    private CallbackResponse click(LinkToken token) {
        Optional<String> link = store.database().inTransaction(connection -> {
            Optional<String> stored = LinkRows.link(connection, token.tenant(), token.message(), token.link());
            if (stored.isEmpty() || !count(connection, token, Engagement.Kind.CLICK, token.link(), false,
                    EventType.EMAIL_CLICKED, stored.get(), "clicked link " + token.link(),
                    Map.of("linkIndex", token.link()))) {
                return Optional.<String>empty();
            }
            return stored;
        });
        return link.map(CallbackResponse::redirect).orElseGet(EmailLinks::gone);
    }

    /**
     * Counts an open or a click of the token's recipient, its first as a history entry and an event; false when the
     * tenant has no such email or recipient.
     */
    private boolean count(Connection connection, LinkToken token, Engagement.Kind kind, int position,
            boolean machine, EventType event, String link, String detail, Map<String, Object> data)
            throws SQLException {
        Optional<Recipient> found = recipient(connection, token);
        if (found.isEmpty()) {
            return false;
        }
        Email email = found.get().email();
        Instant now = store.clock().instant();
        if (LinkRows.count(connection, token.tenant(), email.id(), found.get().address(), kind, position, machine,
                now.toEpochMilli())) {
            store.engaged(connection, email, new StatusChange(EventId.generate(), email.status(), event,
                    Optional.empty(), Optional.of(found.get().address()), detail, now), link, data);
        }
        return true;
    }

    /** The token's email and recipient, if the tenant has them. */
    private static Optional<Recipient> recipient(Connection connection, LinkToken token) throws SQLException {
        Optional<Email> email = EmailRows.find(connection, token.tenant(), token.message());
        if (email.isEmpty()) {
            return Optional.empty();
        }
        List<EmailAddress> recipients = Stream.of(email.get().to(), email.get().cc(), email.get().bcc())
                .flatMap(List::stream).toList();
        return token.recipient() < recipients.size()
                ? Optional.of(new Recipient(email.get(),
                        recipients.get(token.recipient()).address().toLowerCase(Locale.ROOT)))
                : Optional.empty();
    }

    /** Whether the request's body is RFC 8058's {@code List-Unsubscribe=One-Click}, in either encoding. */
    private static boolean oneClick(CallbackRequest request) {
        String contentType = request.header("Content-Type").toLowerCase(Locale.ROOT);
        if (contentType.startsWith("multipart/form-data")) {
            return MultipartForm.value(request.header("Content-Type"), request.bodyText(), "List-Unsubscribe")
                    .filter("One-Click"::equals).isPresent();
        }
        try {
            List<String> values = CallbackRequest.form(request.bodyText().strip()).get("List-Unsubscribe");
            return values != null && values.contains("One-Click");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Why the request came from a known prefetching proxy rather than the recipient, if it did. */
    private static Optional<String> machine(CallbackRequest request) {
        String agent = request.header("User-Agent");
        for (String known : MACHINE_AGENTS) {
            if (agent.contains(known)) {
                return Optional.of(known);
            }
        }
        for (String header : PREFETCH_HEADERS) {
            if (request.header(header).toLowerCase(Locale.ROOT).contains("prefetch")) {
                return Optional.of(header + ": prefetch");
            }
        }
        return Optional.empty();
    }

    private static CallbackResponse gone() {
        return LinkPages.refusal(404, "this email is no longer here");
    }

    @Override
    public String toString() {
        return "EmailLinks[" + store + "]";
    }

    private record Recipient(Email email, String address) {
    }
}
