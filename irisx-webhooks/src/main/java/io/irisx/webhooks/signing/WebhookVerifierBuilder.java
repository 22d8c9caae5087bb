package io.irisx.webhooks.signing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link WebhookVerifier}; not thread-safe. Each setting is checked when it is given; {@link #build()} leaves
 * the builder as it was, so it can build again.
 *
 * <p>A top-level class rather than {@code WebhookVerifier.Builder}: other IRISX modules may use only the
 * {@code WebhookVerif*} classes of irisx-webhooks.
 */
public final class WebhookVerifierBuilder {

    /** The tolerance the spec recommends: five minutes either way. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<WebhookSecret> secrets = new ArrayList<>();
    private final List<WebhookPublicKey> publicKeys = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private boolean checkTimestamp = true;
    private Clock clock = Clock.systemUTC();

    WebhookVerifierBuilder() {
    }

    /**
     * Adds a symmetric secret, {@code whsec_<base64>} (or the bare base64), that {@code v1} signatures may match.
     * Add the old and the new secret while a producer rotates.
     *
     * @throws io.irisx.core.IrisxValidationException (field {@code secret}, value redacted) when it is not a secret
     */
    public WebhookVerifierBuilder secret(String secret) {
        return secret(WebhookSecret.parse(Objects.requireNonNull(secret, "secret")));
    }

    /** Adds a symmetric secret that {@code v1} signatures may match. */
    public WebhookVerifierBuilder secret(WebhookSecret secret) {
        secrets.add(Objects.requireNonNull(secret, "secret"));
        return this;
    }

    /**
     * Adds an Ed25519 public key, {@code whpk_<base64>}, that {@code v1a} signatures may match.
     *
     * @throws io.irisx.core.IrisxValidationException (field {@code publicKey}) when it is not a public key
     */
    public WebhookVerifierBuilder publicKey(String publicKey) {
        return publicKey(WebhookPublicKey.parse(Objects.requireNonNull(publicKey, "publicKey")));
    }

    /** Adds an Ed25519 public key that {@code v1a} signatures may match. */
    public WebhookVerifierBuilder publicKey(WebhookPublicKey publicKey) {
        publicKeys.add(Objects.requireNonNull(publicKey, "publicKey"));
        return this;
    }

    /**
     * How far the timestamp may be from the clock's now, either way; {@link #DEFAULT_TOLERANCE} unless set.
     *
     * @throws IllegalArgumentException when it is less than one second
     */
    public WebhookVerifierBuilder tolerance(Duration tolerance) {
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
    public WebhookVerifierBuilder checkTimestamp(boolean checkTimestamp) {
        this.checkTimestamp = checkTimestamp;
        return this;
    }

    /** The clock whose now the timestamp is checked against; the system clock unless set. */
    public WebhookVerifierBuilder clock(Clock clock) {
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
