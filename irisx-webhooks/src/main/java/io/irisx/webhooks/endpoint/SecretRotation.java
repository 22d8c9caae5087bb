package io.irisx.webhooks.endpoint;

import io.irisx.webhooks.internal.store.EndpointRules;
import io.irisx.webhooks.signing.WebhookSecret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to rotate an endpoint's signing secret: the new secret (generated unless given), and how long the previous one
 * keeps signing beside it so the receiver can switch over; immutable.
 *
 * @param secret the new secret, of at least 24 bytes; empty to generate one
 * @param grace how long the previous secret stays valid, from zero to {@value #MAX_GRACE_DAYS} days
 */
public record SecretRotation(Optional<WebhookSecret> secret, Duration grace) {

    /** The grace of {@link #generated()}: a day. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    /** The longest grace, in days. */
    public static final long MAX_GRACE_DAYS = 30;

    /**
     * Checks the secret's length and the grace.
     *
     * @throws io.irisx.core.IrisxValidationException (field {@code secret}, value redacted) when a given secret holds
     *     fewer than 24 bytes
     */
    public SecretRotation {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(grace, "grace");
        secret.ifPresent(EndpointRules::givenSecret);
        if (grace.isNegative() || grace.compareTo(Duration.ofDays(MAX_GRACE_DAYS)) > 0) {
            throw new IllegalArgumentException("grace must be between 0 and " + MAX_GRACE_DAYS + " days, was " + grace);
        }
    }

    /** A generated secret, the previous one valid for {@link #DEFAULT_GRACE}. */
    public static SecretRotation generated() {
        return new SecretRotation(Optional.empty(), DEFAULT_GRACE);
    }

    /**
     * The secret written as {@code secret} ({@code whsec_<base64>}), the previous one valid for {@link #DEFAULT_GRACE}.
     *
     * @throws io.irisx.core.IrisxValidationException (field {@code secret}, value redacted) when it is not a secret,
     *     or holds fewer than 24 bytes
     */
    public static SecretRotation to(String secret) {
        return new SecretRotation(Optional.of(WebhookSecret.parse(secret)), DEFAULT_GRACE);
    }

    /** This rotation, with the previous secret valid for {@code grace}. */
    public SecretRotation withGrace(Duration grace) {
        return new SecretRotation(secret, grace);
    }
}
