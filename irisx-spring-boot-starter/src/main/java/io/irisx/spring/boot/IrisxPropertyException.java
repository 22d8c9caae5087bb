package io.irisx.spring.boot;

import io.irisx.core.IrisxException;
import java.util.Objects;

/**
 * An {@code irisx.*} property the runtime cannot start with: missing, refused by the IRISX builder it goes to, or at
 * odds with another property or with the class path. The message names the property and says why and what to do;
 * it never holds a secret's value (tokens, keys and passwords are named, not shown). Immutable and thread-safe.
 */
public final class IrisxPropertyException extends IrisxException {

    private final String property;
    private final String reason;

    /**
     * @param property the property, in its canonical form, such as {@code irisx.email.postmark.server-token}
     * @param reason what is wrong and what to do, without the value when it is a secret
     * @param cause the IRISX builder's refusal, or {@code null}
     */
    public IrisxPropertyException(String property, String reason, Throwable cause) {
        super(Objects.requireNonNull(property, "property") + ": " + Objects.requireNonNull(reason, "reason"), cause);
        this.property = property;
        this.reason = reason;
    }

    /** As {@link #IrisxPropertyException(String, String, Throwable)} with no cause. */
    public IrisxPropertyException(String property, String reason) {
        this(property, reason, null);
    }

    /** The property, in its canonical form, such as {@code irisx.sealing-keys}. */
    public String property() {
        return property;
    }

    /** What is wrong with it and what to do. */
    public String reason() {
        return reason;
    }
}
