package io.irisx.examples.readme;

import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.queue.JetStreamOutbox;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.signing.WebhookVerifier;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import javax.sql.DataSource;

/** The README's "The front door"; stateless and thread-safe. */
public final class FrontDoorSection {

    private FrontDoorSection() {
    }

    /**
     * One runtime on PostgreSQL and NATS JetStream with the webhooks, email and SMS modules: tenant acme's webhook
     * endpoint at {@code receiverUrl} subscribed to {@code email.sent} and {@code sms.sent}, an email through
     * {@code postmark}, an SMS through {@code twilio}, and the customer's check of {@code webhook}, a webhook its
     * receiver got.
     */
    public static void frontDoor(DataSource dataSource, SealingKeys sealingKeys, String natsUrl, SsrfPolicy ssrfPolicy,
            EmailProvider postmark, SmsProvider twilio, String receiverUrl, ReceivedWebhook webhook) {
        // README:begin front-door
        try (Irisx irisx = Irisx.builder()
                .dataSource(dataSource)                                            // PostgreSQL
                .sealingKeys(sealingKeys)                                          // SealingKeys.parse(…)
                .outbox(JetStreamOutbox.builder().url(natsUrl).factory())
                .install(WebhooksModule.builder().ssrfPolicy(ssrfPolicy).build())  // SsrfPolicy.defaults(): public addresses
                .install(EmailModule.builder().provider(postmark).build())         // PostmarkProvider.builder(token).build()
                .install(SmsModule.builder().provider(twilio).build())             // TwilioProvider.builder(sid, token).build()
                .build()) {
            Tenant acme = irisx.tenant("acme");

            CreatedEndpoint endpoint = WebhookEndpoints.of(acme).create(EndpointSpec.builder(receiverUrl)
                    .eventTypes("email.sent", "sms.sent").build());
            MessageId email = EmailClient.of(acme).send(EmailMessage.builder()
                    .from("hello@acme.example").to("ada@example.com").subject("Welcome").text("Hello Ada").build());
            MessageId sms = SmsClient.of(acme).send(SmsMessage.builder()
                    .from("+447400654321").to("+447400123456").body("Your code is 123456").build());

            // At the customer's receiver, for each webhook it is posted:
            WebhookVerifier verifier = WebhookVerifier.builder().secret(endpoint.secret()).build();
            verifier.verify(webhook.headers(), webhook.body());
        }
        // README:end
    }
}
