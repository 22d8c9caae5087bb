package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;
import static io.irisx.spring.boot.internal.Settings.choice;
import static io.irisx.spring.boot.internal.Settings.get;
import static io.irisx.spring.boot.internal.Settings.hasText;
import static io.irisx.spring.boot.internal.Settings.optional;
import static io.irisx.spring.boot.internal.Settings.required;

import io.irisx.messaging.email.elasticemail.ElasticEmailProvider;
import io.irisx.messaging.email.mailgun.MailgunProvider;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.email.resend.ResendProvider;
import io.irisx.messaging.email.sendgrid.SendGridProvider;
import io.irisx.messaging.email.ses.SesProvider;
import io.irisx.messaging.email.smtp.SmtpProvider;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.spring.boot.EmailProperties;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds each email provider from its {@code irisx.email.<provider>.*} properties, and maps the providers' property
 * names to the names IRISX gives them. Stateless and thread-safe.
 */
final class EmailProviders {

    /** The providers' property names, in the order they are registered (and so the default chain). */
    static final List<String> PROPERTY_NAMES =
            List.of("postmark", "resend", "sendgrid", "mailgun", "elastic-email", "ses", "smtp");

    /** Where IRISX's name of a provider differs from its property name. */
    private static final Map<String, String> PROVIDER_NAMES = Map.of("elastic-email", "elasticemail");

    private EmailProviders() {
    }

    /** The property name of {@code provider}, written as its property name or IRISX's name, in any case. */
    static Optional<String> propertyName(String provider) {
        String name = provider == null ? "" : provider.strip().toLowerCase(Locale.ROOT);
        return PROPERTY_NAMES.stream()
                .filter(key -> key.equals(name) || providerName(key).equals(name))
                .findFirst();
    }

    /** IRISX's name of the provider with property name {@code key}, as chains, statuses and events name it. */
    static String providerName(String key) {
        return PROVIDER_NAMES.getOrDefault(key, key);
    }

    /** The provider with property name {@code key}, from its properties. */
    static EmailProvider create(String key, EmailProperties email) {
        return switch (key) {
            case "postmark" -> postmark(email.getPostmark());
            case "resend" -> resend(email.getResend());
            case "sendgrid" -> sendGrid(email.getSendgrid());
            case "mailgun" -> mailgun(email.getMailgun());
            case "elastic-email" -> elasticEmail(email.getElasticEmail());
            case "ses" -> ses(email.getSes());
            case "smtp" -> smtp(email.getSmtp());
            default -> throw new IllegalArgumentException("no email provider has the property name " + key);
        };
    }

    private static EmailProvider postmark(EmailProperties.Postmark postmark) {
        String prefix = "irisx.email.postmark.";
        PostmarkProvider.Builder builder = get(prefix + "server-token",
                () -> PostmarkProvider.builder(postmark.getServerToken()));
        optional(prefix + "base-url", postmark.getBaseUrl(), builder::baseUrl);
        optional(prefix + "message-stream", postmark.getMessageStream(), builder::messageStream);
        return builder.build();
    }

    private static EmailProvider resend(EmailProperties.ApiKeyProvider resend) {
        String prefix = "irisx.email.resend.";
        ResendProvider.Builder builder = get(prefix + "api-key", () -> ResendProvider.builder(resend.getApiKey()));
        optional(prefix + "base-url", resend.getBaseUrl(), builder::baseUrl);
        return builder.build();
    }

    private static EmailProvider sendGrid(EmailProperties.ApiKeyProvider sendGrid) {
        String prefix = "irisx.email.sendgrid.";
        SendGridProvider.Builder builder = get(prefix + "api-key",
                () -> SendGridProvider.builder(sendGrid.getApiKey()));
        optional(prefix + "base-url", sendGrid.getBaseUrl(), builder::baseUrl);
        return builder.build();
    }

    private static EmailProvider mailgun(EmailProperties.Mailgun mailgun) {
        String prefix = "irisx.email.mailgun.";
        String domain = required(prefix + "domain", mailgun.getDomain(), "with " + prefix + "api-key");
        MailgunProvider.Builder builder = get("irisx.email.mailgun",
                () -> MailgunProvider.builder(mailgun.getApiKey(), domain));
        builder.region(choice(prefix + "region", mailgun.getRegion(), MailgunProvider.Region.class));
        optional(prefix + "base-url", mailgun.getBaseUrl(), builder::baseUrl);
        return builder.build();
    }

    private static EmailProvider elasticEmail(EmailProperties.ApiKeyProvider elasticEmail) {
        String prefix = "irisx.email.elastic-email.";
        ElasticEmailProvider.Builder builder = get(prefix + "api-key",
                () -> ElasticEmailProvider.builder(elasticEmail.getApiKey()));
        optional(prefix + "base-url", elasticEmail.getBaseUrl(), builder::baseUrl);
        return builder.build();
    }

    private static EmailProvider ses(EmailProperties.Ses ses) {
        String prefix = "irisx.email.ses.";
        SesProvider.Builder builder = get(prefix + "region", () -> SesProvider.builder(ses.getRegion()));
        if (hasText(ses.getAccessKeyId())) {
            String secret = required(prefix + "secret-access-key", ses.getSecretAccessKey(),
                    "with " + prefix + "access-key-id");
            apply("irisx.email.ses", () -> {
                if (hasText(ses.getSessionToken())) {
                    builder.credentials(ses.getAccessKeyId(), secret, ses.getSessionToken());
                } else {
                    builder.credentials(ses.getAccessKeyId(), secret);
                }
            });
        } else {
            SesDefaultCredentials.apply(builder);
        }
        optional(prefix + "configuration-set", ses.getConfigurationSet(), builder::configurationSet);
        optional(prefix + "base-url", ses.getBaseUrl(), url -> builder.endpoint(URI.create(url)));
        return get("irisx.email.ses", builder::build);
    }

    private static EmailProvider smtp(EmailProperties.Smtp smtp) {
        String prefix = "irisx.email.smtp.";
        SmtpProvider.Builder builder = get("irisx.email.smtp", () -> SmtpProvider.builder(smtp.getHost(),
                smtp.getPort()));
        builder.startTls(choice(prefix + "start-tls", smtp.getStartTls(), SmtpProvider.StartTls.class));
        builder.implicitTls(smtp.isImplicitTls());
        if (hasText(smtp.getUsername())) {
            String password = required(prefix + "password", smtp.getPassword(), "with " + prefix + "username");
            apply("irisx.email.smtp", () -> builder.credentials(smtp.getUsername(), password));
        }
        return get("irisx.email.smtp", builder::build);
    }
}
