package io.irisx.core.secret;

import io.irisx.core.IrisxException;
import java.util.Objects;

/**
 * A sealed secret could not be opened or read, or the sealing keys could not be loaded; immutable. The message says
 * which, and never holds a plaintext secret or key material; a sealed value appears in it at most truncated.
 */
public final class SecretSealingException extends IrisxException {

    /** What went wrong, so a caller can tell a broken value from a missing key without parsing the message. */
    public enum Reason {
        /** The text is not a sealed value IRISX can read: wrong prefix or version, bad structure or encoding. */
        MALFORMED,
        /** The value names a key id that is not among the configured keys. */
        UNKNOWN_KEY,
        /** The value failed authentication: it was altered, sealed with another key, or for another context. */
        AUTHENTICATION_FAILED,
        /** The sealing keys could not be read from, or written to, their file. */
        KEY_FILE
    }

    private final Reason reason;

    SecretSealingException(Reason reason, String message) {
        this(reason, message, null);
    }

    SecretSealingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }
}
