package io.irisx.messaging.sms.internal;

import io.irisx.messaging.sms.spi.OutgoingSms;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.spi.SmsReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in test provider of the SMS module, for test-mode sends when no test provider is registered: it makes
 * no network call and sends nothing, and accepts every message with the id {@code sandbox-<message id>} and the
 * provider status {@code sent}. Thread-safe, stateless. Not API.
 */
public final class SandboxSmsProvider implements SmsProvider {

    /** Its name in chains, statuses and events. */
    public static final String NAME = "sandbox";

    private static final Logger log = LoggerFactory.getLogger(SandboxSmsProvider.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SmsReceipt send(OutgoingSms sms) {
        log.debug("irisx sms: test message {} of tenant {} accepted by the sandbox; nothing was sent", sms.id(),
                sms.tenant());
        return new SmsReceipt(NAME + "-" + sms.id().value(), "sent");
    }

    @Override
    public String toString() {
        return "SandboxSmsProvider";
    }
}
