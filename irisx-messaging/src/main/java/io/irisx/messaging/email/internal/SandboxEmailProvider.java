package io.irisx.messaging.email.internal;

import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in test provider of the email module, for test-mode sends when no test provider is registered: it makes
 * no network call and sends nothing, and accepts every email with the id {@code sandbox-<message id>} (the same id
 * however often it is sent, so it honours the idempotency key). Thread-safe, stateless. Not API.
 */
public final class SandboxEmailProvider implements EmailProvider {

    /** Its name in chains, statuses and events. */
    public static final String NAME = "sandbox";

    private static final Logger log = LoggerFactory.getLogger(SandboxEmailProvider.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmailReceipt send(OutgoingEmail email) {
        log.debug("irisx email: test email {} of tenant {} accepted by the sandbox; nothing was sent", email.id(),
                email.tenant());
        return new EmailReceipt(NAME + "-" + email.id().value());
    }

    @Override
    public boolean acceptsIdempotencyKey() {
        return true;
    }

    @Override
    public String toString() {
        return "SandboxEmailProvider";
    }
}
