package io.irisx.webhooks.signing;

import static io.irisx.webhooks.signing.WebhookVerificationReason.BAD_TIMESTAMP;
import static io.irisx.webhooks.signing.WebhookVerificationReason.MISSING_HEADER;
import static io.irisx.webhooks.signing.WebhookVerificationReason.NO_MATCHING_SIGNATURE;
import static io.irisx.webhooks.signing.WebhookVerificationReason.TOO_NEW;
import static io.irisx.webhooks.signing.WebhookVerificationReason.TOO_OLD;

import java.net.http.HttpHeaders;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies Standard Webhooks 1.0 requests against one or several keys; immutable and thread-safe, meant to be built
 * once and shared.
 *
 * <p>A request passes when its three headers are present, its timestamp is within the tolerance of the clock's now
 * (five minutes either way unless configured), and at least one signature in {@code webhook-signature} matches
 * {@code id.timestamp.body} under a configured key: a {@code v1} signature under a secret (compared in constant time),
 * a {@code v1a} signature under an Ed25519 public key. Signatures of other versions, and malformed ones, are skipped.
 * Configure both the old and the new key while a producer rotates. Otherwise a {@link WebhookVerificationException}
 * says which check failed.
 *
 * <p>Verify the body exactly as received: a body parsed and serialized again rarely has the same bytes.
 */
public final class WebhookVerifier {

    private static final int SHOWN_CHARS = 40;

    private final HmacSha256[] secrets;
    private final PublicKey[] publicKeys;
    private final long toleranceSeconds;
    private final boolean checkTimestamp;
    private final Clock clock;

    WebhookVerifier(List<WebhookSecret> secrets, List<WebhookPublicKey> publicKeys, long toleranceSeconds,
            boolean checkTimestamp, Clock clock) {
        this.secrets = secrets.stream().map(HmacSha256::new).toArray(HmacSha256[]::new);
        this.publicKeys = publicKeys.stream().map(WebhookPublicKey::key).toArray(PublicKey[]::new);
        this.toleranceSeconds = toleranceSeconds;
        this.checkTimestamp = checkTimestamp;
        this.clock = clock;
    }

    /** A builder with no key, the five-minute tolerance and the system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a request whose headers are given by name, names in any case (as servlet containers and most HTTP
     * libraries give them). The first value of the id and the timestamp counts; every value of the signature header
     * does.
     *
     * @throws WebhookVerificationException when the request fails a check
     */
    public void verify(Map<String, ? extends List<String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        verify(first(headers, WebhookHeaders.ID), first(headers, WebhookHeaders.TIMESTAMP),
                joined(headers, WebhookHeaders.SIGNATURE), body);
    }

    /**
     * Verifies a request whose headers are {@code java.net.http} headers.
     *
     * @throws WebhookVerificationException when the request fails a check
     */
    public void verify(HttpHeaders headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        List<String> signatures = headers.allValues(WebhookHeaders.SIGNATURE);
        verify(headers.firstValue(WebhookHeaders.ID).orElse(null),
                headers.firstValue(WebhookHeaders.TIMESTAMP).orElse(null),
                signatures.isEmpty() ? null : String.join(" ", signatures), body);
    }

    /**
     * Verifies a request from the values of its three headers; a {@code null} or empty value is a missing header.
     *
     * @param id the {@code webhook-id}
     * @param timestamp the {@code webhook-timestamp}
     * @param signature the {@code webhook-signature}
     * @param body the exact bytes of the request body
     * @throws WebhookVerificationException when the request fails a check
     */
    public void verify(String id, String timestamp, String signature, byte[] body) {
        Objects.requireNonNull(body, "body");
        requirePresent(id, WebhookHeaders.ID);
        requirePresent(timestamp, WebhookHeaders.TIMESTAMP);
        requirePresent(signature, WebhookHeaders.SIGNATURE);
        long seconds = parseTimestamp(timestamp);
        if (checkTimestamp) {
            checkWindow(seconds);
        }
        if (!anyMatches(SignedContent.head(id, timestamp), body, signature)) {
            int count = signature.isBlank() ? 0 : signature.trim().split(" +").length;
            throw new WebhookVerificationException(NO_MATCHING_SIGNATURE, "none of the " + count
                    + " signature(s) in " + WebhookHeaders.SIGNATURE + " matches the content under the "
                    + secrets.length + " secret(s) and " + publicKeys.length + " public key(s) configured; check "
                    + "the keys, and that the body is verified exactly as received");
        }
    }

    /** {@code WebhookVerifier[n secrets, m public keys, tolerance …]}; never a key. */
    @Override
    public String toString() {
        return "WebhookVerifier[" + secrets.length + " secret(s), " + publicKeys.length + " public key(s), "
                + (checkTimestamp ? "tolerance " + toleranceSeconds + " s]" : "timestamp not checked]");
    }

    private boolean anyMatches(byte[] head, byte[] body, String header) {
        byte[][] expected = null; // each secret's v1 signature, computed when a v1 candidate first needs it
        int start = 0;
        while (start < header.length()) {
            int end = header.indexOf(' ', start);
            if (end < 0) {
                end = header.length();
            }
            if (header.startsWith("v1,", start) && secrets.length > 0) {
                if (expected == null) {
                    expected = new byte[secrets.length][];
                    for (int i = 0; i < secrets.length; i++) {
                        expected[i] = Base64.getEncoder().encode(secrets[i].mac(head, body));
                    }
                }
                if (matchesAny(expected, header, start + 3, end)) {
                    return true;
                }
            } else if (header.startsWith("v1a,", start) && publicKeys.length > 0
                    && verifiesAny(head, body, header.substring(start + 4, end))) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /**
     * Whether {@code header}'s characters from {@code from} to {@code to} are one of the expected Base64 signatures,
     * compared in time that depends on the lengths only (which are public), never on where they differ.
     */
    private static boolean matchesAny(byte[][] expected, String header, int from, int to) {
        boolean matched = false;
        for (byte[] signature : expected) {
            int difference = signature.length ^ (to - from);
            if (difference == 0) {
                for (int i = 0; i < signature.length; i++) {
                    difference |= signature[i] ^ header.charAt(from + i);
                }
            }
            matched |= difference == 0;
        }
        return matched;
    }

    private boolean verifiesAny(byte[] head, byte[] body, String candidate) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(candidate);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (PublicKey key : publicKeys) {
            if (Ed25519.verify(key, head, body, signature)) {
                return true;
            }
        }
        return false;
    }

    private long parseTimestamp(String timestamp) {
        // Only the plain decimal form: the signature covers the header's text, and "+1614265330" or "01614265330"
        // would otherwise pass for the same time.
        long seconds = -1;
        int length = timestamp.length();
        if (length <= 18 && (length == 1 || timestamp.charAt(0) != '0')) {
            seconds = 0;
            for (int i = 0; i < length && seconds >= 0; i++) {
                char c = timestamp.charAt(i);
                seconds = c >= '0' && c <= '9' ? seconds * 10 + (c - '0') : -1;
            }
        }
        if (seconds < 0) {
            throw new WebhookVerificationException(BAD_TIMESTAMP, "the " + WebhookHeaders.TIMESTAMP + " header "
                    + shown(timestamp) + " is not unix seconds written as a plain decimal integer");
        }
        return seconds;
    }

    private void checkWindow(long seconds) {
        long now = clock.instant().getEpochSecond();
        // Compared as differences, which fit a long (the timestamp has at most 18 digits), so that a tolerance as
        // large as Long.MAX_VALUE seconds does not overflow into refusing every webhook.
        if (now - seconds > toleranceSeconds) {
            throw new WebhookVerificationException(TOO_OLD, "the " + WebhookHeaders.TIMESTAMP + " " + seconds
                    + " is " + (now - seconds) + " s before now (" + now + "), beyond the tolerance of "
                    + toleranceSeconds + " s: a replayed or long-delayed webhook, or a clock that is off");
        }
        if (seconds - now > toleranceSeconds) {
            throw new WebhookVerificationException(TOO_NEW, "the " + WebhookHeaders.TIMESTAMP + " " + seconds
                    + " is " + (seconds - now) + " s after now (" + now + "), beyond the tolerance of "
                    + toleranceSeconds + " s: the sender's clock or this one is off");
        }
    }

    private static void requirePresent(String value, String header) {
        if (value == null || value.isEmpty()) {
            throw new WebhookVerificationException(MISSING_HEADER, "the " + header + " header is "
                    + (value == null ? "missing" : "empty") + "; a Standard Webhooks request carries "
                    + WebhookHeaders.ID + ", " + WebhookHeaders.TIMESTAMP + " and " + WebhookHeaders.SIGNATURE);
        }
    }

    private static String first(Map<String, ? extends List<String>> headers, String name) {
        for (Map.Entry<String, ? extends List<String>> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                for (String value : header.getValue()) {
                    if (value != null) {
                        return value;
                    }
                }
            }
        }
        return null;
    }

    private static String joined(Map<String, ? extends List<String>> headers, String name) {
        StringBuilder joined = null;
        for (Map.Entry<String, ? extends List<String>> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                for (String value : header.getValue()) {
                    if (value != null) {
                        joined = joined == null ? new StringBuilder(value) : joined.append(' ').append(value);
                    }
                }
            }
        }
        return joined == null ? null : joined.toString();
    }

    /** A header value as a message may show it: quoted, shortened, control characters replaced. */
    private static String shown(String value) {
        String shown = value.length() > SHOWN_CHARS ? value.substring(0, SHOWN_CHARS) + "…" : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /**
     * Builds a {@link WebhookVerifier}; not thread-safe. Each setting is checked when it is given; {@link #build()} leaves
     * the builder as it was, so it can build again.
     */
    public static final class Builder {

        /** The tolerance the spec recommends: five minutes either way. */
        public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

        private final List<WebhookSecret> secrets = new ArrayList<>();
        private final List<WebhookPublicKey> publicKeys = new ArrayList<>();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private boolean checkTimestamp = true;
        private Clock clock = Clock.systemUTC();

        Builder() {
        }

        /**
         * Adds a symmetric secret, {@code whsec_<base64>} (or the bare base64), that {@code v1} signatures may match.
         * Add the old and the new secret while a producer rotates.
         *
         * @throws io.irisx.core.IrisxValidationException (field {@code secret}, value redacted) when it is not a secret
         */
        public Builder secret(String secret) {
            return secret(WebhookSecret.parse(Objects.requireNonNull(secret, "secret")));
        }

        /** Adds a symmetric secret that {@code v1} signatures may match. */
        public Builder secret(WebhookSecret secret) {
            secrets.add(Objects.requireNonNull(secret, "secret"));
            return this;
        }

        /**
         * Adds an Ed25519 public key, {@code whpk_<base64>}, that {@code v1a} signatures may match.
         *
         * @throws io.irisx.core.IrisxValidationException (field {@code publicKey}) when it is not a public key
         */
        public Builder publicKey(String publicKey) {
            return publicKey(WebhookPublicKey.parse(Objects.requireNonNull(publicKey, "publicKey")));
        }

        /** Adds an Ed25519 public key that {@code v1a} signatures may match. */
        public Builder publicKey(WebhookPublicKey publicKey) {
            publicKeys.add(Objects.requireNonNull(publicKey, "publicKey"));
            return this;
        }

        /**
         * How far the timestamp may be from the clock's now, either way; {@link #DEFAULT_TOLERANCE} unless set.
         *
         * @throws IllegalArgumentException when it is less than one second
         */
        public Builder tolerance(Duration tolerance) {
            Objects.requireNonNull(tolerance, "tolerance");
            if (tolerance.getSeconds() < 1) {
                throw new IllegalArgumentException("tolerance must be at least 1 second, was " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Whether the timestamp must be within the tolerance of now; {@code true} unless set. Turn it off only to check
         * a webhook recorded earlier: without it, a captured webhook can be replayed at any time. The timestamp is still
         * signed, and must still be a number.
         */
        public Builder checkTimestamp(boolean checkTimestamp) {
            this.checkTimestamp = checkTimestamp;
            return this;
        }

        /** The clock whose now the timestamp is checked against; the system clock unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A verifier with these settings.
         *
         * @throws IllegalStateException when no secret and no public key was added
         */
        public WebhookVerifier build() {
            if (secrets.isEmpty() && publicKeys.isEmpty()) {
                throw new IllegalStateException("a webhook verifier needs at least one secret or public key; add one "
                        + "with secret(...) or publicKey(...)");
            }
            return new WebhookVerifier(List.copyOf(secrets), List.copyOf(publicKeys), tolerance.getSeconds(),
                    checkTimestamp, clock);
        }
    }
}
