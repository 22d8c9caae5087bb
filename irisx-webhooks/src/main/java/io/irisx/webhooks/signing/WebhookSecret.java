package io.irisx.webhooks.signing;

import io.irisx.core.IrisxValidationException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A symmetric Standard Webhooks signing secret, {@code whsec_} followed by the base64 of its random bytes; immutable
 * and thread-safe.
 *
 * <p>{@link #generate()} makes 32 random bytes (the spec asks for 24 to 64). {@link #parse(String)} reads what the
 * reference libraries read, so that a secret issued by any Standard Webhooks producer works here: any non-empty key,
 * in standard base64 with or without padding, with or without the {@code whsec_} prefix.
 *
 * <p>It never prints itself: {@link #toString()} is {@code WebhookSecret[whsec_****]}; {@link #reveal()} gives the
 * text to the code that must store or hand it over. Two secrets are equal when their keys are, compared in constant
 * time.
 */
public final class WebhookSecret implements WebhookSigningKey {

    /** The text a serialized secret starts with. */
    public static final String PREFIX = "whsec_";

    /** How many random bytes {@link #generate()} draws. */
    public static final int GENERATED_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /** A new secret of {@value #GENERATED_BYTES} random bytes. */
    public static WebhookSecret generate() {
        byte[] key = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(key);
        return new WebhookSecret(key);
    }

    /**
     * The secret written as {@code text}: {@code whsec_<base64>} or the bare base64.
     *
     * @throws IrisxValidationException (field {@code secret}, value redacted) when the text is not base64, carries
     *         another key's prefix, or holds no bytes
     */
    public static WebhookSecret parse(String text) {
        Objects.requireNonNull(text, "text");
        byte[] key = KeyText.decode("secret", text, PREFIX, true, "a webhook secret");
        if (key.length == 0) {
            throw new IrisxValidationException("secret", KeyText.redacted(text),
                    "is empty: a webhook secret needs at least one byte (24 to 64 random bytes are recommended)");
        }
        return new WebhookSecret(key);
    }

    /** How many bytes the key holds; the length is not secret, the bytes are. */
    public int size() {
        return key.length;
    }

    /** The secret as {@code whsec_<base64>}; give it only to the code that stores or hands it over, never log it. */
    public String reveal() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** A copy of the key bytes, for the HMAC. */
    byte[] key() {
        return key.clone();
    }

    /** Whether {@code other} is a secret with the same key, compared in constant time for equal lengths. */
    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret secret && MessageDigest.isEqual(key, secret.key);
    }

    /** The length of the key, which is all its hash reveals. */
    @Override
    public int hashCode() {
        return key.length;
    }

    /** {@code WebhookSecret[whsec_****]}, whatever the secret. */
    @Override
    public String toString() {
        return "WebhookSecret[" + PREFIX + "****]";
    }
}
