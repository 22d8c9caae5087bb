package io.irisx.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A plaintext secret held in memory, such as a provider API key or a webhook signing secret; immutable and
 * thread-safe.
 *
 * <p>It never prints itself: {@link #toString()} is {@code Secret[****]}, so a secret passed to a logger or kept in
 * a record that is logged stays hidden. {@link #reveal()} gives the plaintext to the code that must use it.
 *
 * <p>Two secrets are equal when their contents are equal, compared in constant time for secrets of the same length
 * (so a comparison does not reveal how many leading characters match). {@link #hashCode()} depends on the length
 * only, to reveal nothing else; secrets are rarely hash keys, and then only their lengths spread them.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * The secret {@code value}.
     *
     * @throws IllegalArgumentException when the value is empty
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("secret value must not be empty");
        }
        return new Secret(value);
    }

    /** The plaintext; give it only to the code that uses it, and never log it. */
    public String reveal() {
        return value;
    }

    /** Whether {@code other} is a secret with the same content, compared in constant time for equal lengths. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret
                && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                        secret.value.getBytes(StandardCharsets.UTF_8));
    }

    /** The length of the secret, which is all its hash reveals. */
    @Override
    public int hashCode() {
        return value.length();
    }

    /** {@code Secret[****]}, whatever the secret. */
    @Override
    public String toString() {
        return "Secret[****]";
    }
}
