package io.irisx.core;

import java.util.Objects;

/**
 * A send was refused because its recipient is on the tenant's suppression or opt-out list (an earlier bounce,
 * complaint, unsubscribe or STOP); nothing was stored or sent.
 */
public class SuppressedRecipientException extends IrisxException {

    private final String recipient;
    private final String reason;

    /**
     * @param recipient the address or number that is suppressed
     * @param reason why it is suppressed, e.g. {@code "opted out by STOP"}
     */
    public SuppressedRecipientException(String recipient, String reason) {
        super("recipient '" + Objects.requireNonNull(recipient, "recipient") + "' is suppressed: "
                + Objects.requireNonNull(reason, "reason"));
        this.recipient = recipient;
        this.reason = reason;
    }

    /** The suppressed address or number. */
    public String recipient() {
        return recipient;
    }

    /** Why the recipient is suppressed. */
    public String reason() {
        return reason;
    }
}
