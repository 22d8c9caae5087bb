package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.messaging.email.elasticemail.ElasticEmailProvider;
import io.irisx.messaging.email.mailgun.MailgunProvider;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.email.resend.ResendProvider;
import io.irisx.messaging.email.sendgrid.SendGridProvider;
import io.irisx.messaging.email.ses.SesProvider;
import io.irisx.messaging.sms.twilio.TwilioProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A provider's base URL or endpoint carrying a password is refused without the password in the message or cause. */
class ProviderSettingsRedactionTest {

    private static final String PASSWORD = "s3cr3t-Pa55";
    private static final String WITH_USER = "https://ada:" + PASSWORD + "@api.provider.example";

    @Test
    void every_provider_builder_refuses_a_base_url_with_a_password_and_never_shows_it() {
        Map<String, Runnable> settings = Map.of(
                "postmark", () -> PostmarkProvider.builder("pm-token").baseUrl(WITH_USER),
                "resend", () -> ResendProvider.builder("re_key").baseUrl(WITH_USER),
                "elasticemail", () -> ElasticEmailProvider.builder("ee-key").baseUrl(WITH_USER),
                "mailgun", () -> MailgunProvider.builder("mg-key", "mg.acme.example").baseUrl(WITH_USER),
                "sendgrid", () -> SendGridProvider.builder("SG.key").baseUrl(WITH_USER),
                "sendgrid, not a URL", () -> SendGridProvider.builder("SG.key").baseUrl(WITH_USER + "/a b"),
                "twilio", () -> TwilioProvider.builder("AC" + "0".repeat(32), "0".repeat(32)).baseUrl(WITH_USER),
                "twilio with a path", () -> TwilioProvider.builder("AC" + "0".repeat(32), "0".repeat(32))
                        .baseUrl("https://api.twilio.example/path?token=" + PASSWORD),
                "ses", () -> SesProvider.builder("eu-west-1").endpoint(URI.create(WITH_USER)));
        settings.forEach((provider, setting) -> {
            IllegalArgumentException refused = catchThrowableOfType(IllegalArgumentException.class, setting::run);
            assertThat(refused).as(provider).isNotNull();
            assertThat(refused.getMessage()).as(provider).contains("****");
            assertThat(stackTrace(refused)).as(provider).doesNotContain(PASSWORD);
        });
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

}
