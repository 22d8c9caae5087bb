package io.irisx.messaging.email;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.event.EventType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One event a provider reports about an email it accepted — delivered, deferred, bounced, dropped, complained about,
 * opened, clicked, unsubscribed from — normalised from the provider's own webhook format; immutable.
 * {@link EmailClient#record(ProviderEvent)} applies it to the tenant's email the provider's message id names.
 *
 * <p>Every event has an id that is the same each time the provider sends it: the provider's own event id where it
 * gives one, else one derived from what the event says ({@link Builder#build}). An event whose id was recorded before
 * (a replay, or the provider retrying its webhook) changes nothing.
 *
 * @param provider the provider's name, as in the email's {@link Email#provider()}
 * @param eventId the event's id, unique per provider
 * @param providerMessageId the provider's id for the email
 * @param kind what happened
 * @param recipient the recipient the event concerns (lower case), empty when the provider does not say
 * @param occurredAt when it happened, by the provider's report
 * @param detail what the provider said (a bounce's diagnostic, a user agent), empty when nothing
 * @param link the link clicked, for {@link Kind#CLICKED}; else empty
 */
public record ProviderEvent(String provider, String eventId, String providerMessageId, Kind kind, String recipient,
        Instant occurredAt, String detail, String link) {

    /** The longest provider name, event id and provider message id stored. */
    public static final int MAX_ID = 255;
    /** The longest detail stored; a longer one is cut. */
    public static final int MAX_DETAIL = 2000;

    /** What a provider reports, and the status it moves the email to, if any. */
    public enum Kind {
        /** The receiving server accepted the email. */
        DELIVERED(EmailStatus.DELIVERED, EventType.EMAIL_DELIVERED),
        /** The receiving server delayed it; the provider keeps trying. */
        DEFERRED(EmailStatus.DEFERRED, EventType.EMAIL_DEFERRED),
        /** Refused for good (no such mailbox, domain): the recipient is suppressed. */
        HARD_BOUNCE(EmailStatus.BOUNCED, EventType.EMAIL_BOUNCED),
        /** Refused for now (mailbox full, greylisted) and the provider gave up: the recipient is not suppressed. */
        SOFT_BOUNCE(EmailStatus.BOUNCED, EventType.EMAIL_BOUNCED),
        /** The provider did not send it (its own suppression list, an invalid address). */
        DROPPED(EmailStatus.FAILED, EventType.EMAIL_FAILED),
        /** The recipient marked it as spam: the recipient is suppressed. */
        COMPLAINED(EmailStatus.COMPLAINED, EventType.EMAIL_COMPLAINED),
        /** The recipient opened it. */
        OPENED(null, EventType.EMAIL_OPENED),
        /** The recipient clicked a link in it. */
        CLICKED(null, EventType.EMAIL_CLICKED),
        /** The recipient unsubscribed through the provider: the recipient is suppressed for the email's stream. */
        UNSUBSCRIBED(null, EventType.EMAIL_UNSUBSCRIBED);

        private final EmailStatus status;
        private final EventType event;

        Kind(EmailStatus status, EventType event) {
            this.status = status;
            this.event = event;
        }

        /** The status this event moves an email to; empty for engagement (opens, clicks, unsubscribes). */
        public Optional<EmailStatus> status() {
            return Optional.ofNullable(status);
        }

        /** The event emitted when it is recorded. */
        public EventType event() {
            return event;
        }
    }

    /** Checks every field (see {@link Builder}). */
    public ProviderEvent {
        provider = id("provider", provider);
        eventId = id("eventId", eventId);
        providerMessageId = id("providerMessageId", providerMessageId);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(recipient, "recipient");
        recipient = recipient.strip().toLowerCase(Locale.ROOT);
        if (recipient.length() > EmailAddress.MAX_ADDRESS) {
            throw new IrisxValidationException("recipient", recipient, "must be at most " + EmailAddress.MAX_ADDRESS
                    + " characters");
        }
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(detail, "detail");
        detail = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        Objects.requireNonNull(link, "link");
        if (kind == Kind.CLICKED != !link.isEmpty()) {
            throw new IrisxValidationException("link", link, "is required for a click, and only for a click");
        }
    }

    /** A builder of an event of {@code kind} reported by {@code provider}. */
    public static Builder builder(String provider, Kind kind) {
        return new Builder(provider, kind);
    }

    private static String id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IrisxValidationException(field, value, "must not be blank");
        }
        if (value.length() > MAX_ID) {
            throw new IrisxValidationException(field, value, "must be at most " + MAX_ID + " characters");
        }
        return value;
    }

    /** Builds a {@link ProviderEvent}; not thread-safe. */
    public static final class Builder {
        private final String provider;
        private final Kind kind;
        private String eventId;
        private String providerMessageId;
        private String recipient = "";
        private Instant occurredAt;
        private String detail = "";
        private String link = "";

        private Builder(String provider, Kind kind) {
            this.provider = provider;
            this.kind = kind;
        }

        /** The provider's own id for this event; when none is given, one is derived at {@link #build}. */
        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        /** The provider's id for the email (required). */
        public Builder providerMessageId(String providerMessageId) {
            this.providerMessageId = providerMessageId;
            return this;
        }

        /** The recipient the event concerns. */
        public Builder recipient(String recipient) {
            this.recipient = recipient;
            return this;
        }

        /** When it happened (required). */
        public Builder occurredAt(Instant occurredAt) {
            this.occurredAt = occurredAt;
            return this;
        }

        /** What the provider said. */
        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        /** The link clicked (required for a click). */
        public Builder link(String link) {
            this.link = link;
            return this;
        }

        /**
         * The event. Without a provider event id, its id is {@code "sha256:"} and the SHA-256 of the provider, message
         * id, kind, recipient, time and link: the same each time the provider sends the same event.
         */
        public ProviderEvent build() {
            String id = eventId != null ? eventId : derivedId();
            return new ProviderEvent(provider, id, providerMessageId, kind, recipient, occurredAt, detail, link);
        }

        private String derivedId() {
            String seed = String.join("\n", String.valueOf(provider), String.valueOf(providerMessageId), kind.name(),
                    String.valueOf(recipient).strip().toLowerCase(Locale.ROOT), String.valueOf(occurredAt),
                    String.valueOf(link));
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
                return "sha256:" + HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }
}
