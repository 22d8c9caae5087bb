package io.irisx.messaging.email;

import io.irisx.core.Channel;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.RateLimitedException;
import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.tenant.Tenants;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.email.internal.EmailStore;
import io.irisx.messaging.email.internal.LinkKeys;
import io.irisx.messaging.email.internal.LinkRows;
import io.irisx.messaging.email.internal.LinkSettings;
import io.irisx.messaging.email.internal.LinkStamper;
import io.irisx.messaging.email.internal.SuppressionRows;
import io.irisx.messaging.internal.SendServices;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One tenant's email: sends (queued at once, sent by the {@link EmailModule} of any process that works the email
 * channel), lookups, listings and
 * templates; thread-safe, cheap to build, meant to be shared.
 *
 * <p>{@link #send} checks the email, renders its template, asks the {@link RecipientFilter}, and stores the email
 * with its outbox record in one transaction, returning its id before any provider is called. A bad email is refused
 * with {@link IrisxValidationException} naming the field and the value, and nothing is stored.
 *
 * <pre>{@code
 * EmailClient email = EmailClient.of(irisx.tenant("acme"));     // with an EmailModule installed
 * MessageId id = email.send(EmailMessage.builder()
 *         .from("hello@acme.example").to("ada@example.com")
 *         .template("welcome", Map.of("name", "Ada"))
 *         .build());
 * EmailStatus status = email.get(id).status();
 * }</pre>
 */
public final class EmailClient {

    /** The default cap on one attachment and on a whole email: 10 MiB. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    private final TenantId tenant;
    private final EmailStore store;
    private final Outbox outbox;
    private final long maxAttachmentBytes;
    private final long maxTotalBytes;
    private final RecipientFilter recipientFilter;
    private final boolean dropSuppressedRecipients;
    private final EmailSuppressions suppressions;
    private final EmailTemplates templates;
    private final Optional<LinkStamper> links;
    private final SendServices services;
    private final boolean test;

    private EmailClient(Builder b, EmailStore store, Outbox outbox, TenantId tenant, Optional<LinkStamper> links,
            SendServices services, boolean test) {
        this.tenant = tenant;
        this.test = test;
        this.store = store;
        this.outbox = outbox;
        this.maxAttachmentBytes = b.maxAttachmentBytes;
        this.maxTotalBytes = b.maxTotalBytes;
        this.recipientFilter = b.recipientFilter;
        this.dropSuppressedRecipients = b.dropSuppressedRecipients;
        this.suppressions = new EmailSuppressions(store, tenant);
        this.templates = new EmailTemplates(tenant, store, store.renderer(b.allowMissingVariables));
        this.links = links;
        this.services = services;
    }

    /**
     * {@code tenant}'s email, through the runtime's {@link EmailModule}. A view in test mode
     * ({@link Tenant#isTest()}, a test API key's) gives a client whose sends are test sends.
     *
     * @throws IllegalStateException when no {@code EmailModule} is installed
     */
    public static EmailClient of(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return tenant.module(EmailModule.class).client(tenant.id(), tenant.isTest());
    }

    /** The settings of clients, which {@link EmailModule.Builder} exposes. */
    static Builder builder() {
        return new Builder();
    }

    /** The tenant whose emails these are. */
    public TenantId tenant() {
        return tenant;
    }

    /**
     * Whether this client sends in test mode: its emails are stored marked as test ({@link Email#test()}), go only to
     * the module's test providers ({@link EmailModule.Builder#testProvider}, else the built-in sandbox, which calls no
     * one), never to a real provider, and are neither metered as billable usage nor reserved against prepaid credit.
     * Their events carry {@code "test": true} and are {@link io.irisx.core.event.Event#test() test} events, which
     * webhooks deliver only to the tenant's test endpoints.
     */
    public boolean isTest() {
        return test;
    }

    /** The runtime's clock, which times sends and reports. */
    public Clock clock() {
        return store.clock();
    }

    /**
     * Checks, stores and queues {@code message}, and returns its id. Sending again with the same idempotency key
     * returns the first email's id and queues nothing.
     *
     * <p>A {@link EmailStream#MARKETING} email gets its recipient's unsubscribe links, in the headers every provider
     * sends: {@code List-Unsubscribe: <https://…/u/TOKEN>} (and {@code <mailto:…?subject=unsubscribe-TOKEN>} when the
     * module has an unsubscribe mailbox) and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 2369,
     * RFC 8058), which {@link EmailLinks} answers. As a link unsubscribes one recipient, a marketing email must have
     * exactly one (To, Cc and Bcc together), and its module must have links ({@link EmailModule.Builder#links}); it
     * may not set those two headers itself. A tracked email ({@link EmailMessage.Builder#track}) of a tracked tenant
     * has its HTML body's links and an open pixel made tracking links, and its links stored. The email stored, and
     * {@link #get} returns, is the one sent: with those headers and that body.
     *
     * <p>An email without a {@code from} is sent from the tenant's default sender
     * ({@link io.irisx.core.tenant.TenantSettings#emailFrom()}). A client in {@linkplain #isTest() test mode} stores
     * the email marked as test, reserves no prepaid credit for it, and its module sends it only to test providers.
     *
     * @throws IrisxValidationException when the email is refused (no {@code from} and no default sender, naming
     *     {@code from}; size caps, template, variables; a marketing email
     *     without links configured, naming {@code stream}, with more than one recipient, naming {@code to}, or with
     *     its own unsubscribe headers, naming {@code headers.List-Unsubscribe})
     * @throws SuppressedRecipientException when the recipient filter refuses a recipient, or one is on the tenant's
     *     suppression list for the email's stream
     * @throws io.irisx.core.TenantSuspendedException when the host suspended the tenant
     * @throws RateLimitedException when the tenant is over its email send limit
     *     ({@link io.irisx.core.ratelimit.RateLimits.Stage#SEND}), checked once the email is found valid and before
     *     anything is stored, with how long until it may send again
     */
    public MessageId send(EmailMessage message) {
        Objects.requireNonNull(message, "message");
        checkSizes(message);
        LinkStamper.checkMarketing(message, links.isPresent());
        Stream.of(message.to(), message.cc(), message.bcc()).flatMap(List::stream).forEach(recipient ->
                recipientFilter.refusal(tenant, recipient).ifPresent(reason -> {
                    throw new SuppressedRecipientException(recipient.address(), reason);
                }));
        Email draft = draft(message);
        services.acquireSend(tenant, Channel.EMAIL);
        LinkStamper.Stamped stamped = links.map(stamper -> stamper.stamp(draft, message.track()))
                .orElse(new LinkStamper.Stamped(draft, List.of()));
        Email drafted = stamped.email();
        Optional<MessageId> existing = outbox.inTransaction(store.database(), (connection, queue) -> {
            boolean prepaid = Tenants.admit(connection, tenant);
            // An email without a key of its own is keyed by its new id: nothing stored can have it.
            if (message.idempotencyKey().isPresent()) {
                Optional<MessageId> earlier = store.findByKey(connection, tenant, drafted.idempotencyKey());
                if (earlier.isPresent()) {
                    return earlier;
                }
            }
            Map<String, Suppression> suppressed = suppressed(connection, drafted);
            Email email = suppressed.isEmpty() ? drafted : withoutSuppressed(drafted, suppressed);
            String queued = suppressed.isEmpty() ? "queued"
                    : "queued; dropped as suppressed: " + String.join(", ", suppressed.keySet());
            Envelope envelope = new Envelope(email.id(), tenant, Channel.EMAIL, email.idempotencyKey(), "{}");
            // A PREPAID tenant's price is held before anything is stored or emitted; a refusal ends the send here.
            // A test send is never billed, so holds nothing.
            boolean reserved = !test && prepaid
                    && services.reserve(connection, tenant, UsageUnit.EMAIL, 1, email.id().value(), email.createdAt());
            if (!store.insert(connection, email, message.attachments(), queued)) {
                // Sent at the same moment with the same key: the first one stands, and holds the price.
                if (reserved) {
                    services.release(connection, tenant, UsageUnit.EMAIL, email.id().value(), email.createdAt());
                }
                return Optional.of(store.findByKey(connection, tenant, email.idempotencyKey())
                        .orElseThrow(() -> new IllegalStateException("email " + email.id() + " collided but is not stored")));
            }
            LinkRows.insertLinks(connection, tenant, email.id(), stamped.links());
            MessageId published = queue.publish(envelope);
            if (!published.equals(email.id())) {
                throw new IllegalStateException("the outbox already holds EMAIL work with idempotency key '"
                        + email.idempotencyKey() + "' (" + published + ") that is not an email of tenant " + tenant);
            }
            store.queuedHere(envelope, email, reserved);
            return Optional.<MessageId>empty();
        });
        if (existing.isPresent()) {
            return existing.get();
        }
        return drafted.id();
    }

    /** The recipients of {@code email} suppressed on its stream, by address. */
    private Map<String, Suppression> suppressed(Connection connection, Email email) throws SQLException {
        List<String> recipients = recipients(email).map(address -> address.toLowerCase(Locale.ROOT)).distinct()
                .toList();
        Map<String, Suppression> suppressed = new LinkedHashMap<>();
        SuppressionRows.find(connection, tenant, email.stream(), recipients)
                .forEach(suppression -> suppressed.put(suppression.address(), suppression));
        return suppressed;
    }

    /**
     * {@code email} without its {@code suppressed} recipients, when dropping them is allowed and others remain; else
     * {@link SuppressedRecipientException} naming the first.
     */
    private Email withoutSuppressed(Email email, Map<String, Suppression> suppressed) {
        Predicate<EmailAddress> kept = recipient -> !suppressed.containsKey(recipient.address().toLowerCase(Locale.ROOT));
        if (!dropSuppressedRecipients || recipients(email).map(EmailAddress::of).noneMatch(kept)) {
            Suppression first = suppressed.values().iterator().next();
            throw new SuppressedRecipientException(first.address(), "on the tenant's "
                    + email.stream().name().toLowerCase(Locale.ROOT) + " suppression list ("
                    + first.reason().name().toLowerCase(Locale.ROOT) + ")");
        }
        return email.withRecipients(email.to().stream().filter(kept).toList(),
                email.cc().stream().filter(kept).toList(), email.bcc().stream().filter(kept).toList());
    }

    private static Stream<String> recipients(Email email) {
        return Stream.of(email.to(), email.cc(), email.bcc()).flatMap(List::stream).map(EmailAddress::address);
    }

    /**
     * The numbers of each of the tenant's sending domains over [{@code from}, {@code to}), by domain.
     *
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public List<SenderStats> stats(Instant from, Instant to) {
        return store.stats(tenant, from, window(from, to), Optional.empty());
    }

    /** The numbers of the tenant's sending domain {@code domain} over [{@code from}, {@code to}). */
    public SenderStats stats(String domain, Instant from, Instant to) {
        Objects.requireNonNull(domain, "domain");
        String name = domain.strip().toLowerCase(Locale.ROOT);
        return store.stats(tenant, from, window(from, to), Optional.of(name)).stream().findFirst()
                .orElse(new SenderStats(name, from, to, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    private static Instant window(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, was " + from + " to " + to);
        }
        return to;
    }

    /** The tenant's suppression lists. */
    public EmailSuppressions suppressions() {
        return suppressions;
    }

    /** The tenant's email {@code id}; {@link NotFoundException} if it has none. */
    public Email get(MessageId id) {
        Objects.requireNonNull(id, "id");
        return store.find(tenant, id).orElseThrow(() -> new NotFoundException("email", id.value()));
    }

    /** A page of the tenant's emails that {@code filter} keeps, newest first. */
    public Page<Email> list(EmailFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        return Page.of(store.list(tenant, filter, page.limit() + 1, page.cursor(MessageId::parse)), page,
                email -> email.id().value());
    }

    /** The attachments of the tenant's email {@code id}, in order; {@link NotFoundException} if it has none. */
    public List<Attachment> attachments(MessageId id) {
        get(id);
        return store.attachments(tenant, id);
    }

    /** Every status change of the tenant's email {@code id}, oldest first; {@link NotFoundException} if none. */
    public List<StatusChange> history(MessageId id) {
        get(id);
        return store.history(tenant, id);
    }

    /**
     * Applies a provider's event (delivered, bounced, opened, …) to the tenant's email whose provider message id it
     * names; another tenant's email of the same id is never touched. An event whose id the tenant recorded before (a
     * replay, a provider's retry) changes nothing. Any other is stored in the history and emitted as its event, in
     * one transaction with what it changes: the status when it moves forward ({@link EmailStatus#canMoveTo}), and the
     * suppression lists for a hard bounce or a complaint (both streams) or an unsubscribe (the email's stream).
     *
     * @return whether the tenant has an email of that provider's id and the event was new
     */
    public boolean record(ProviderEvent report) {
        return store.record(tenant, report);
    }

    /**
     * The opens and clicks {@link EmailLinks} counted for the tenant's tracked email {@code id}: opens first, then
     * clicks by link; {@link NotFoundException} if the tenant has no such email. Empty for an email not tracked.
     */
    public List<Engagement> engagements(MessageId id) {
        get(id);
        return store.database().withConnection(connection -> LinkRows.engagements(connection, tenant, id));
    }

    /**
     * Applies the events of one provider webhook request that was signed over a one-time {@code token} (Mailgun signs
     * each request over a random token and a timestamp), as {@link #record} applies each, and notes the token in the
     * same transaction: a request whose token this tenant noted before for {@code provider} is a replay and changes
     * nothing. The token is kept until {@code keepUntil} — when the request's signed timestamp leaves the tolerance
     * of the handler's timestamp check, so that no copy of it can pass that check any more — and dropped after.
     *
     * @param provider the provider's name, as in every one of {@code events}
     * @param token the request's one-time token, 1 to {@value ProviderEvent#MAX_ID} characters
     * @param keepUntil until when a replay of the request could pass the timestamp check
     * @param events what the request reports; may be empty, to note the token only
     * @return empty for a replay; else how many of the events were recorded (the others named no email of the
     *     tenant's, or were recorded before)
     * @throws IrisxValidationException when the token is blank or too long (its value is not shown)
     * @throws IllegalArgumentException when an event is of another provider
     */
    public OptionalInt recordOnce(String provider, String token, Instant keepUntil, List<ProviderEvent> events) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(keepUntil, "keepUntil");
        if (token.isBlank() || token.length() > ProviderEvent.MAX_ID) {
            throw new IrisxValidationException("token", "a value of " + token.length() + " characters (not shown)",
                    "must be 1 to " + ProviderEvent.MAX_ID + " characters, not blank");
        }
        for (ProviderEvent event : events) {
            if (!event.provider().equals(provider)) {
                throw new IllegalArgumentException("every event must be of provider " + provider + ", one is of "
                        + event.provider());
            }
        }
        return store.recordOnce(tenant, provider, token, keepUntil, events);
    }

    /** The tenant's templates. */
    public EmailTemplates templates() {
        return templates;
    }

    private void checkSizes(EmailMessage message) {
        long total = message.text().getBytes(StandardCharsets.UTF_8).length
                + (long) message.html().getBytes(StandardCharsets.UTF_8).length;
        for (int i = 0; i < message.attachments().size(); i++) {
            Attachment attachment = message.attachments().get(i);
            if (attachment.size() > maxAttachmentBytes) {
                throw new IrisxValidationException("attachments[" + i + "]",
                        attachment.filename() + " (" + attachment.size() + " bytes)",
                        "is larger than the " + maxAttachmentBytes + " bytes one attachment may have");
            }
            total += attachment.size();
        }
        if (total > maxTotalBytes) {
            throw new IrisxValidationException("attachments", total + " bytes in all",
                    "is larger than the " + maxTotalBytes + " bytes one email may have, bodies and attachments together");
        }
    }

    private Email draft(EmailMessage message) {
        String subject = message.subject();
        String text = message.text();
        String html = message.html();
        Optional<Email.TemplateRef> template = Optional.empty();
        if (message.templateId().isPresent()) {
            String id = message.templateId().get();
            EmailTemplate stored;
            try {
                stored = templates.get(id);
            } catch (NotFoundException e) {
                throw new IrisxValidationException("templateId", id, "names no template of tenant " + tenant);
            }
            RenderedEmail rendered = templates.render(stored, message.variables());
            subject = rendered.subject();
            text = rendered.text();
            html = rendered.html();
            template = Optional.of(new Email.TemplateRef(id, stored.version()));
        }
        MessageId id = MessageId.generate();
        Instant now = store.clock().instant();
        return new Email(id, tenant, message.idempotencyKey().orElse(id.value()), EmailStatus.QUEUED,
                message.stream(), message.from().orElseGet(this::defaultSender),
                message.to(), message.cc(), message.bcc(), message.replyTo(), subject, text, html, message.headers(),
                message.tags(), message.metadata(), template, message.attachments().size(), 0, Optional.empty(),
                Optional.empty(), false, Optional.empty(), now, now, Optional.empty(), test);
    }

    /** The tenant's default sender, for an email without a {@code from}. */
    private EmailAddress defaultSender() {
        Optional<TenantSettings> settings = store.database().withConnection(connection ->
                Tenants.storedSettings(connection, tenant));
        Optional<String> address = settings.flatMap(TenantSettings::emailFrom);
        if (address.isEmpty()) {
            throw new IrisxValidationException("from", null, "is required: give the email a from, or set tenant "
                    + tenant + "'s default sender (TenantSettings.emailFrom)");
        }
        return EmailAddress.of(address.get(), settings.get().emailFromName());
    }

    @Override
    public String toString() {
        return "EmailClient[" + tenant + (test ? ", test" : "") + "]";
    }

    /** The settings clients are built with; each setter checks its value at once. Not thread-safe. */
    static final class Builder {
        private long maxAttachmentBytes = DEFAULT_MAX_BYTES;
        private long maxTotalBytes = DEFAULT_MAX_BYTES;
        private boolean allowMissingVariables;
        private RecipientFilter recipientFilter = RecipientFilter.none();
        private boolean dropSuppressedRecipients;
        private String linksBaseUrl;
        private String unsubscribeMailbox;
        private Predicate<TenantId> tracking;

        private Builder() {
        }

        /** The largest attachment, 1 byte to 40 MiB (default 10 MiB). */
        Builder maxAttachmentBytes(long maxAttachmentBytes) {
            this.maxAttachmentBytes = checkBytes("maxAttachmentBytes", maxAttachmentBytes);
            return this;
        }

        /** The largest email, bodies and attachments together, 1 byte to 40 MiB (default 10 MiB). */
        Builder maxTotalBytes(long maxTotalBytes) {
            this.maxTotalBytes = checkBytes("maxTotalBytes", maxTotalBytes);
            return this;
        }

        /** Whether a template variable the send does not give renders as empty text (default: it is an error). */
        Builder allowMissingVariables(boolean allowMissingVariables) {
            this.allowMissingVariables = allowMissingVariables;
            return this;
        }

        /** Who may not be sent to (default: no one is refused). */
        Builder recipientFilter(RecipientFilter recipientFilter) {
            this.recipientFilter = Objects.requireNonNull(recipientFilter, "recipientFilter");
            return this;
        }

        /** Whether suppressed recipients are dropped from a send to others rather than refuse it. */
        Builder dropSuppressedRecipients(boolean dropSuppressedRecipients) {
            this.dropSuppressedRecipients = dropSuppressedRecipients;
            return this;
        }

        /** Where the unsubscribe and tracking links go: an {@code https} URL of at most 200 characters. */
        Builder links(String baseUrl) {
            this.linksBaseUrl = LinkSettings.baseUrl(baseUrl);
            return this;
        }

        /** The mailbox of the {@code mailto:} unsubscribe link. */
        Builder unsubscribeMailbox(String address) {
            this.unsubscribeMailbox = LinkSettings.mailbox(address);
            return this;
        }

        /** The tenants whose emails may be tracked. */
        Builder tracking(Predicate<TenantId> tracking) {
            this.tracking = Objects.requireNonNull(tracking, "tracking");
            return this;
        }

        /**
         * Checks that the settings that need links have them.
         *
         * @throws IllegalStateException when an unsubscribe mailbox or tracking is set without links
         */
        void check() {
            if (linksBaseUrl == null && (unsubscribeMailbox != null || tracking != null)) {
                throw new IllegalStateException((unsubscribeMailbox != null ? "unsubscribeMailbox" : "tracking")
                        + " needs the links' base URL: set links(baseUrl) too");
            }
        }

        /** The links of clients, signed with {@code keys}; empty when none are configured. */
        Optional<LinkStamper> stamper(LinkKeys keys) {
            return linksBaseUrl == null ? Optional.empty() : Optional.of(new LinkStamper(keys, linksBaseUrl,
                    Optional.ofNullable(unsubscribeMailbox), tracking == null ? tenant -> false : tracking));
        }

        /**
         * {@code tenant}'s client on {@code store}, queueing in {@code outbox}, without links nor rate limits; the
         * builder may be used again.
         */
        EmailClient build(EmailStore store, Outbox outbox, TenantId tenant) {
            return build(store, outbox, tenant, Optional.empty(), SendServices.none(), false);
        }

        /**
         * {@code tenant}'s client on {@code store}, queueing in {@code outbox}, with {@code links}, its sends held to
         * the runtime's {@code services} (rate limits, prepaid credit), in test mode when {@code test}; the builder
         * may be used again.
         */
        EmailClient build(EmailStore store, Outbox outbox, TenantId tenant, Optional<LinkStamper> links,
                SendServices services, boolean test) {
            return new EmailClient(this, store, outbox, tenant, links, services, test);
        }

        private static long checkBytes(String field, long bytes) {
            if (bytes < 1 || bytes > 40L * 1024 * 1024) {
                throw new IllegalArgumentException(field + " must be between 1 and 41943040 (40 MiB), was " + bytes);
            }
            return bytes;
        }
    }
}
