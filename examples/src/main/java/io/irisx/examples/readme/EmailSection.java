package io.irisx.examples.readme;

import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.webhooks.endpoint.WebhooksModule;
import java.util.List;
import java.util.Map;

/** The README's "Email"; stateless and thread-safe. */
public final class EmailSection {

    private EmailSection() {
    }

    /** What the block made: the runtime (the caller closes it), tenant acme's email client and the email's id. */
    public record Sent(Irisx irisx, EmailClient email, MessageId id) {
    }

    /**
     * The email module with Elastic Email then SendGrid (SendGrid alone for tenant globex) on the embedded defaults,
     * {@code testProvider} for test-mode sends, a template, and a templated email of tenant acme's with {@code pdf}
     * attached.
     */
    public static Sent email(EmailProvider elasticEmail, EmailProvider sendGrid, EmailProvider testProvider,
            byte[] pdf) {
        // README:begin email
        Irisx irisx = Irisx.builder()
                .install(WebhooksModule.builder().build())                  // every email.* event fans out to endpoints
                .install(EmailModule.builder()
                        .provider(elasticEmail)                                 // ElasticEmailProvider.builder(apiKey).build()
                        .provider(sendGrid)                                     // SendGridProvider.builder(apiKey).build()
                        .chain(TenantId.of("globex"), List.of("sendgrid"))       // a tenant's own chain (its settings win)
                        .testProvider(testProvider)                             // test-mode sends; default: the sandbox
                        .build())                                               // .sendOnly(): queue here, send elsewhere
                .build();
        EmailClient email = EmailClient.of(irisx.tenant("acme"));

        email.templates().save("welcome", "Welcome, {{name}}", "Hello {{name}}", "<p>Hello {{name}}</p>");
        MessageId id = email.send(EmailMessage.builder()
                .from("hello@acme.example", "Acme")
                .to("ada@example.com", "Ada Lovelace")
                .template("welcome", Map.of("name", "Ada"))             // or .subject(…).text(…).html(…)
                .attach(Attachment.of("terms.pdf", "application/pdf", pdf))
                .tag("onboarding").metadata("account", "A-1042")
                .idempotencyKey("account-A-1042-welcome")
                .build());                                              // stored and queued; returns at once

        email.get(id).status();                                         // QUEUED, SENT, DELIVERED, …
        email.history(id);                                              // every status change, with its event id
        // README:end
        return new Sent(irisx, email, id);
    }
}
