package io.irisx.messaging.sms;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.secret.Redaction;
import io.irisx.messaging.internal.Labels;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One SMS or MMS to send: recipient, sender (a number, an alphanumeric sender id, or a messaging service), body,
 * media, status callback, validity period, tags, metadata and an idempotency key; immutable. The builder checks each
 * value as it is set, throwing {@link IrisxValidationException} naming the field and the value; the numbers are
 * normalised to E.164 by the {@link SmsClient}, with its default region.
 *
 * <pre>{@code
 * SmsMessage message = SmsMessage.builder()
 *         .to("+44 7700 900123")
 *         .from("+14155550100")
 *         .body("Your code is 123456")
 *         .idempotencyKey("login-7731")
 *         .build();
 * Segments segments = message.segments();   // GSM_7, 1 segment
 * }</pre>
 */
public final class SmsMessage {

    /** The most media an MMS may carry. */
    public static final int MAX_MEDIA = 10;
    /** The longest body: ten concatenated segments of GSM-7 text. */
    public static final int MAX_BODY = 1600;

    private static final Pattern ALPHANUMERIC_SENDER = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");
    /** What a phone number may be written with: digits, a leading plus, spaces, dots, dashes and parentheses. */
    private static final Pattern NUMBER_TEXT = Pattern.compile("\\+?[0-9 ().-]{1,40}");
    private static final Pattern SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");

    private final String to;
    private final String from;
    private final String messagingServiceSid;
    private final String body;
    private final List<String> mediaUrls;
    private final String statusCallback;
    private final Duration validityPeriod;
    private final List<String> tags;
    private final Map<String, String> metadata;
    private final String idempotencyKey;

    private SmsMessage(Builder b) {
        this.to = b.to;
        this.from = b.from;
        this.messagingServiceSid = b.messagingServiceSid;
        this.body = b.body;
        this.mediaUrls = List.copyOf(b.mediaUrls);
        this.statusCallback = b.statusCallback;
        this.validityPeriod = b.validityPeriod;
        this.tags = List.copyOf(b.tags);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.idempotencyKey = b.idempotencyKey;
    }

    /** A builder for a message. */
    public static Builder builder() {
        return new Builder();
    }

    /** The recipient, as given. */
    public String to() {
        return to;
    }

    /**
     * The sender number or alphanumeric sender id, as given; empty when a messaging service sends it, or when neither
     * is given, to send from the tenant's default sender ({@link io.irisx.core.tenant.TenantSettings#smsFrom()}),
     * which {@link SmsClient#send} requires then.
     */
    public String from() {
        return from;
    }

    /** The messaging service that picks the sender, empty when {@link #from()} is set. */
    public String messagingServiceSid() {
        return messagingServiceSid;
    }

    /** The text. */
    public String body() {
        return body;
    }

    /** The media URLs of an MMS. */
    public List<String> mediaUrls() {
        return mediaUrls;
    }

    /** The URL the provider reports status changes to, if any. */
    public Optional<String> statusCallback() {
        return Optional.ofNullable(statusCallback);
    }

    /** How long the provider may keep trying, if limited. */
    public Optional<Duration> validityPeriod() {
        return Optional.ofNullable(validityPeriod);
    }

    /** The tags. */
    public List<String> tags() {
        return tags;
    }

    /** The metadata. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The caller's idempotency key, if it gave one. */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** How the body is encoded and into how many segments it is split, before anything is sent. */
    public Segments segments() {
        return Segments.of(body);
    }

    /** Whether {@code from} is an alphanumeric sender id (1-11 letters, digits, spaces, one letter at least). */
    static boolean isAlphanumericSender(String from) {
        return ALPHANUMERIC_SENDER.matcher(from).matches();
    }

    @Override
    public String toString() {
        // Numbers and text are personal data: never logged.
        return "SmsMessage[" + body.length() + " characters, media=" + mediaUrls.size() + "]";
    }

    /** Builds an {@link SmsMessage}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String to;
        private String from = "";
        private String messagingServiceSid = "";
        private String body = "";
        private final List<String> mediaUrls = new ArrayList<>();
        private String statusCallback;
        private Duration validityPeriod;
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private String idempotencyKey;

        private Builder() {
        }

        /** The recipient's number, international ({@code +44 7700 900123}) or national in the client's region. */
        public Builder to(String to) {
            this.to = number("to", to);
            return this;
        }

        /**
         * The sender: a number of the host's (normalised to E.164 by the {@link SmsClient}, like {@link #to}), or an
         * alphanumeric sender id of 1-11 letters, digits and spaces with at least one letter.
         */
        public Builder from(String from) {
            Objects.requireNonNull(from, "from");
            if (!isAlphanumericSender(from) && !NUMBER_TEXT.matcher(from).matches()) {
                throw new IrisxValidationException("from", from, "must be a phone number (e.g. +14155550100) or an"
                        + " alphanumeric sender id of 1-11 letters, digits and spaces with at least one letter");
            }
            this.from = from;
            this.messagingServiceSid = "";
            return this;
        }

        /** The messaging service that picks the sender ({@code MG} and 32 hex digits), instead of {@link #from}. */
        public Builder messagingServiceSid(String sid) {
            Objects.requireNonNull(sid, "messagingServiceSid");
            if (!SERVICE_SID.matcher(sid).matches()) {
                throw new IrisxValidationException("messagingServiceSid", sid, "must be MG followed by 32 hex digits");
            }
            this.messagingServiceSid = sid;
            this.from = "";
            return this;
        }

        /** The text: at most 1600 characters, no NUL. */
        public Builder body(String body) {
            Objects.requireNonNull(body, "body");
            if (body.length() > MAX_BODY) {
                throw new IrisxValidationException("body", body.length() + " characters",
                        "is longer than the " + MAX_BODY + " characters a message may have");
            }
            if (body.indexOf('\0') >= 0) {
                throw new IrisxValidationException("body", "(" + body.length() + " characters)", "must not contain NUL");
            }
            this.body = body;
            return this;
        }

        /** Adds a media URL, making the message an MMS: an https URL; at most 10. */
        public Builder media(String url) {
            String checked = httpsUrl("mediaUrls", url);
            if (mediaUrls.size() == MAX_MEDIA) {
                throw new IrisxValidationException("mediaUrls", url, "is one more than the " + MAX_MEDIA + " media allowed");
            }
            mediaUrls.add(checked);
            return this;
        }

        /** The https URL the provider reports this message's status changes to. */
        public Builder statusCallback(String url) {
            this.statusCallback = httpsUrl("statusCallback", url);
            return this;
        }

        /** How long the provider may keep trying to send it, 1 second to 10 hours. */
        public Builder validityPeriod(Duration validityPeriod) {
            Objects.requireNonNull(validityPeriod, "validityPeriod");
            if (validityPeriod.compareTo(Duration.ofSeconds(1)) < 0 || validityPeriod.compareTo(Duration.ofHours(10)) > 0) {
                throw new IrisxValidationException("validityPeriod", validityPeriod, "must be between 1 second and 10 hours");
            }
            this.validityPeriod = validityPeriod;
            return this;
        }

        /** Adds a tag: 1-64 letters, digits, dots, underscores or hyphens; at most 10. */
        public Builder tag(String tag) {
            Labels.addTag(tags, tag);
            return this;
        }

        /** Adds a metadata entry: a key like a tag, a value of at most 500 characters; at most 20 entries. */
        public Builder metadata(String key, String value) {
            Labels.putMetadata(metadata, key, value);
            return this;
        }

        /** The caller's idempotency key: sending again with the same key returns the first message's id. */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = Labels.idempotencyKey(idempotencyKey);
            return this;
        }

        /** Checks the whole message and returns it; the builder may be used again. */
        public SmsMessage build() {
            if (to == null) {
                throw new IrisxValidationException("to", null, "is required");
            }
            if (body.isBlank() && mediaUrls.isEmpty()) {
                throw new IrisxValidationException("body", body, "a body or at least one media URL is required");
            }
            return new SmsMessage(this);
        }

        private static String number(String field, String text) {
            Objects.requireNonNull(text, field);
            if (text.isBlank() || text.length() > 40 || text.chars().anyMatch(Character::isISOControl)) {
                throw new IrisxValidationException(field, text, "is not a phone number");
            }
            return text;
        }

        private static String httpsUrl(String field, String url) {
            Objects.requireNonNull(url, field);
            // A refused URL is shown without the password of its user info or of its query.
            try {
                URI uri = new URI(url);
                if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
                        || uri.getHost() == null || url.length() > 2048) {
                    throw new IrisxValidationException(field, Redaction.url(url),
                            "must be an https URL of at most 2048 characters");
                }
                return url;
            } catch (java.net.URISyntaxException e) {
                throw new IrisxValidationException(field, Redaction.url(url), "is not a URL: " + e.getReason());
            }
        }
    }
}
