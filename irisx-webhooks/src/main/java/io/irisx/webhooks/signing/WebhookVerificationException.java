package io.irisx.webhooks.signing;

import io.irisx.core.IrisxException;
import java.util.Objects;

/**
 * A webhook failed Standard Webhooks verification; immutable. {@link #reason()} says which check failed; the message
 * says why, and never holds a key or the body.
 */
public final class WebhookVerificationException extends IrisxException {

    private final WebhookVerificationReason reason;

    WebhookVerificationException(WebhookVerificationReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Which check failed. */
    public WebhookVerificationReason reason() {
        return reason;
    }
}
