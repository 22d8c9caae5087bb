package io.irisx.messaging.sms;

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
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.tenant.Tenants;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.internal.SendServices;
import io.irisx.messaging.sms.internal.SmsStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's SMS and MMS: sends (queued at once, sent by the {@link SmsModule} of any process that works
 * the SMS channel), lookups, history,
 * inbound messages, the opt-out list and segment usage; thread-safe, cheap to build, meant to be shared.
 *
 * <p>{@link #send} normalises the numbers to E.164 (refusing invalid numbers and numbers that cannot receive SMS),
 * counts the segments, refuses a recipient on the tenant's opt-out list with {@link SuppressedRecipientException},
 * and stores the message with its outbox record in one transaction, returning its id before any provider is called.
 *
 * <pre>{@code
 * SmsClient sms = SmsClient.of(irisx.tenant("acme"));          // with an SmsModule installed
 * MessageId id = sms.send(SmsMessage.builder().to("07700 900123").from("+447700900000").body("Hi").build());
 * }</pre>
 */
public final class SmsClient {

    private final TenantId tenant;
    private final SmsStore store;
    private final Outbox outbox;
    private final String defaultRegion;
    private final int maxSegments;
    private final SendServices services;
    private final boolean test;

    private SmsClient(Builder b, SmsStore store, Outbox outbox, TenantId tenant, SendServices services, boolean test) {
        this.tenant = tenant;
        this.test = test;
        this.store = store;
        this.outbox = outbox;
        this.defaultRegion = b.defaultRegion;
        this.maxSegments = b.maxSegments;
        this.services = services;
    }

    /**
     * {@code tenant}'s SMS and MMS, through the runtime's {@link SmsModule}.
     *
     * @throws IllegalStateException when no {@code SmsModule} is installed
     */
    public static SmsClient of(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return tenant.module(SmsModule.class).client(tenant.id(), tenant.isTest());
    }

    /** The settings of clients, which {@link SmsModule.Builder} exposes. */
    static Builder builder() {
        return new Builder();
    }

    /** The tenant whose messages these are. */
    public TenantId tenant() {
        return tenant;
    }

    /**
     * Whether this client sends in test mode (from a {@link Tenant} in test mode, a test API key's): its messages are
     * stored marked as test ({@link Sms#test()}), go only to the module's test providers
     * ({@link SmsModule.Builder#testProvider}, else the built-in sandbox, which calls no one), never to a real
     * provider, and are neither metered as billable usage nor reserved against prepaid credit. Their events carry
     * {@code "test": true} and are {@link io.irisx.core.event.Event#test() test} events, which
     * webhooks deliver only to the tenant's test endpoints.
     */
    public boolean isTest() {
        return test;
    }

    /**
     * Checks, stores and queues {@code message}, and returns its id. Sending again with the same idempotency key
     * returns the first message's id and queues nothing.
     *
     * <p>A message with neither a sender nor a messaging service is sent from the tenant's default sender
     * ({@link io.irisx.core.tenant.TenantSettings#smsFrom()}). A client in {@linkplain #isTest() test mode} stores
     * it marked as test and reserves no prepaid credit for it; its module sends it only to test providers.
     *
     * @throws IrisxValidationException when there is no sender (nor default sender), naming {@code from}; when a
     *     number is invalid or cannot receive SMS, or the body has more
     *     segments than the cap
     * @throws SuppressedRecipientException when the recipient opted out of the tenant's messages
     * @throws io.irisx.core.TenantSuspendedException when the host suspended the tenant
     * @throws RateLimitedException when the tenant is over its SMS send limit
     *     ({@link io.irisx.core.ratelimit.RateLimits.Stage#SEND}), checked once the message is found valid and before
     *     anything is stored, with how long until it may send again
     */
    public MessageId send(SmsMessage message) {
        Objects.requireNonNull(message, "message");
        PhoneNumber to = PhoneNumber.parseSms("to", message.to(), defaultRegion);
        String from = message.from().isEmpty() || SmsMessage.isAlphanumericSender(message.from())
                ? message.from() : PhoneNumber.parseSms("from", message.from(), defaultRegion).value();
        if (from.isEmpty() && message.messagingServiceSid().isEmpty()) {
            from = defaultSender();
        }
        Segments segments = message.segments();
        if (maxSegments > 0 && segments.segments() > maxSegments) {
            throw new IrisxValidationException("body", segments.segments() + " segments (" + segments.encoding() + ")",
                    "is more than the " + maxSegments + " segments a message may have");
        }
        services.acquireSend(tenant, Channel.SMS);
        if (store.isOptedOut(tenant, to)) {
            throw new SuppressedRecipientException(to.value(), "opted out of tenant " + tenant + "'s messages (STOP)");
        }
        MessageId id = MessageId.generate();
        Instant now = store.clock().instant();
        String key = message.idempotencyKey().orElse(id.value());
        Sms sms = new Sms(id, tenant, key, SmsStatus.QUEUED, to.value(), from, message.messagingServiceSid(),
                message.body(), message.mediaUrls(), message.tags(), message.metadata(),
                message.statusCallback().orElse(""),
                message.validityPeriod().map(d -> (int) d.toSeconds()).orElse(0), segments, 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(), now, now,
                Optional.empty(), test);
        Envelope envelope = new Envelope(id, tenant, Channel.SMS, key, "{}");
        Optional<MessageId> existing = outbox.inTransaction(store.database(), (connection, queue) -> {
            boolean prepaid = Tenants.admit(connection, tenant);
            // A PREPAID tenant's price is held before anything is stored or emitted; a refusal ends the send here.
            UsageUnit unit = sms.mediaUrls().isEmpty() ? UsageUnit.SMS_SEGMENT : UsageUnit.MMS;
            // A test send is never billed, so holds nothing.
            boolean reserved = !test && prepaid && services.reserve(connection, tenant, unit,
                    unit == UsageUnit.MMS ? 1 : segments.segments(), id.value(), now);
            if (!store.insert(connection, sms)) {
                // Sent at the same moment with the same key: the first one stands, and holds the price.
                if (reserved) {
                    services.release(connection, tenant, unit, id.value(), now);
                }
                return Optional.of(store.findByKey(connection, tenant, key)
                        .orElseThrow(() -> new IllegalStateException("message " + id + " collided but is not stored")));
            }
            MessageId queued = queue.publish(envelope);
            if (!queued.equals(id)) {
                throw new IllegalStateException("the outbox already holds SMS work with idempotency key '" + key
                        + "' (" + queued + ") that is not a message of tenant " + tenant);
            }
            return Optional.<MessageId>empty();
        });
        if (existing.isPresent()) {
            return existing.get();
        }
        return id;
    }

    /** The tenant's message {@code id}; {@link NotFoundException} if it has none. */
    public Sms get(MessageId id) {
        Objects.requireNonNull(id, "id");
        return store.find(tenant, id).orElseThrow(() -> new NotFoundException("sms", id.value()));
    }

    /** A page of the tenant's messages, newest first. */
    public Page<Sms> list(PageRequest page) {
        return list(SmsFilter.all(), page);
    }

    /**
     * A page of the tenant's messages that {@code filter} keeps, newest first. The filter's recipient and sender are
     * read as a message's are: numbers in E.164 or national in the client's default region, a sender also an
     * alphanumeric id.
     *
     * @throws IrisxValidationException when the filter's recipient or sender is not a valid phone number (nor, for
     *     the sender, an alphanumeric id), naming {@code to} or {@code from} and the value
     */
    public Page<Sms> list(SmsFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        Optional<String> to = filter.to().map(number -> PhoneNumber.parse("to", number, defaultRegion).value());
        Optional<String> from = filter.from().map(sender -> SmsMessage.isAlphanumericSender(sender) ? sender
                : PhoneNumber.parse("from", sender, defaultRegion).value());
        return Page.of(store.list(tenant, filter, to, from, page.limit() + 1, page.cursor(MessageId::parse)), page,
                sms -> sms.id().value());
    }

    /** Every status change and provider report of the tenant's message {@code id}, oldest first. */
    public List<SmsStatusChange> history(MessageId id) {
        get(id);
        return store.history(tenant, id);
    }

    /** A page of the messages the tenant's numbers received, newest first. */
    public Page<InboundSms> inbound(PageRequest page) {
        Objects.requireNonNull(page, "page");
        return Page.of(store.inbound(tenant, page.limit() + 1, page.cursor(MessageId::parse)), page,
                inbound -> inbound.id().value());
    }

    /** Puts {@code number} on the tenant's opt-out list; false when it was on it already. */
    public boolean optOut(String number, String reason) {
        return store.optOut(tenant, PhoneNumber.parseSms("number", number, defaultRegion), Objects.requireNonNull(reason, "reason"));
    }

    /** Takes {@code number} off the tenant's opt-out list; false when it was not on it. */
    public boolean optIn(String number, String reason) {
        return store.optIn(tenant, PhoneNumber.parseSms("number", number, defaultRegion), Objects.requireNonNull(reason, "reason"));
    }

    /** Whether {@code number} is on the tenant's opt-out list. */
    public boolean isOptedOut(String number) {
        return store.isOptedOut(tenant, PhoneNumber.parseSms("number", number, defaultRegion));
    }

    /** The segments of the tenant's messages that a provider accepted from {@code from} to before {@code to}. */
    public long segmentsSent(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return store.segmentsSent(tenant, from, to);
    }

    /**
     * Applies a provider's status report to the tenant's message it names (see the provider's callback handler, such
     * as {@code TwilioCallbacks}, which calls this once it has checked the request). Another tenant's message of the
     * same provider id is never touched; a status never moves backwards; a report the history already holds changes
     * nothing.
     *
     * @return the message, or empty when the tenant has no message of that provider's id (nothing is changed)
     */
    public Optional<Sms> record(SmsReport report) {
        return store.record(tenant, report);
    }

    /**
     * Stores a message one of the tenant's numbers received and emits {@code sms.received}; STOP and START keywords
     * opt the sender out and in, in the same transaction.
     *
     * @return the message stored, or empty when the provider delivered its id before (nothing is changed)
     * @throws IllegalArgumentException when the provider or its id is empty or longer than 64 characters, or the
     *     body holds NUL; nothing is stored
     */
    public Optional<InboundSms> receive(String provider, String providerMessageId, PhoneNumber from, PhoneNumber to,
            String body, List<String> mediaUrls) {
        return store.receive(tenant, provider, providerMessageId, from, to, body, mediaUrls);
    }

    /** The runtime's clock, which times sends and reports. */
    public Clock clock() {
        return store.clock();
    }

    /** The tenant's default sender, for a message with neither a sender nor a messaging service. */
    private String defaultSender() {
        return store.database().withConnection(connection -> Tenants.storedSettings(connection, tenant))
                .flatMap(TenantSettings::smsFrom)
                .orElseThrow(() -> new IrisxValidationException("from", null, "a sender (from) or a"
                        + " messagingServiceSid is required, or tenant " + tenant + "'s default sender"
                        + " (TenantSettings.smsFrom)"));
    }

    @Override
    public String toString() {
        return "SmsClient[" + tenant + (test ? ", test" : "") + "]";
    }

    /** The settings clients are built with; each setter checks its value at once. Not thread-safe. */
    static final class Builder {
        private String defaultRegion = "US";
        private int maxSegments;

        private Builder() {
        }

        /** The region national numbers are read in, an ISO 3166 code such as {@code GB} (default {@code US}). */
        Builder defaultRegion(String defaultRegion) {
            Objects.requireNonNull(defaultRegion, "defaultRegion");
            if (!PhoneNumber.isRegion(defaultRegion)) {
                throw new IllegalArgumentException("defaultRegion must be an ISO 3166 region code such as GB, was '"
                        + defaultRegion + "'");
            }
            this.defaultRegion = defaultRegion;
            return this;
        }

        /** The most segments a message may have, 1 to 10; none by default. */
        Builder maxSegments(int maxSegments) {
            if (maxSegments < 1 || maxSegments > 10) {
                throw new IllegalArgumentException("maxSegments must be between 1 and 10, was " + maxSegments);
            }
            this.maxSegments = maxSegments;
            return this;
        }

        /**
         * {@code tenant}'s client on {@code store}, queueing in {@code outbox}, without rate limits; the builder may be
         * used again.
         */
        SmsClient build(SmsStore store, Outbox outbox, TenantId tenant) {
            return build(store, outbox, tenant, SendServices.none(), false);
        }

        /**
         * {@code tenant}'s client on {@code store}, queueing in {@code outbox}, its sends held to the runtime's
         * {@code services} (rate limits, prepaid credit), in test mode when {@code test}.
         */
        SmsClient build(SmsStore store, Outbox outbox, TenantId tenant, SendServices services, boolean test) {
            return new SmsClient(this, store, outbox, tenant, services, test);
        }
    }
}
