package io.irisx.reference;

import io.irisx.core.Tenant;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.voice.Voice;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import java.util.function.Function;

/** The tenant's client of each channel; a module the app did not install is a {@link ModuleMissingException}. */
final class Clients {

    private Clients() {
    }

    static EmailClient email(Tenant tenant) {
        return of("email", EmailClient::of, tenant);
    }

    static SmsClient sms(Tenant tenant) {
        return of("SMS", SmsClient::of, tenant);
    }

    static Voice voice(Tenant tenant) {
        return of("voice", Voice::of, tenant);
    }

    static WebhookEndpoints webhooks(Tenant tenant) {
        return of("webhooks", WebhookEndpoints::of, tenant);
    }

    private static <C> C of(String capability, Function<Tenant, C> client, Tenant tenant) {
        try {
            return client.apply(tenant);
        } catch (IllegalStateException notInstalled) {
            throw new ModuleMissingException(capability, notInstalled);
        }
    }
}
