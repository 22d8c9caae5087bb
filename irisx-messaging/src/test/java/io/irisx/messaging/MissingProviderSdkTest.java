package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sendgrid.SendGrid;
import com.twilio.http.TwilioRestClient;
import io.irisx.core.Tenant;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The providers whose SDK is an optional dependency refuse to be built in a host that lacks it, with a message naming
 * the provider, the missing class, the artifact to add and the version IRISX is tested with: nothing reaches the
 * first send, where the JVM would throw a bare {@code NoClassDefFoundError}.
 */
class MissingProviderSdkTest {

    private static final String SENDGRID = "io.irisx.messaging.email.sendgrid.SendGridProvider";
    private static final String SES = "io.irisx.messaging.email.ses.SesProvider";
    private static final String SMTP = "io.irisx.messaging.email.smtp.SmtpProvider";
    private static final String TWILIO = "io.irisx.messaging.sms.twilio.TwilioProvider";
    private static final String TWILIO_CALLBACKS = "io.irisx.messaging.sms.twilio.TwilioCallbacks";
    private static final String SMTP_BOUNCES = "io.irisx.messaging.email.smtp.SmtpBounces";
    /** Each SDK with the jars it alone brings: what a host that did not add it lacks. */
    private static final String[] SENDGRID_JARS = {"/com/sendgrid/", "/org/apache/httpcomponents/httpclient/",
        "/org/apache/httpcomponents/httpcore/", "/commons-logging/"};
    private static final String[] ANGUS_MAIL_JARS = {"/org/eclipse/angus/", "/jakarta/mail/", "/jakarta/activation/"};
    private static final String[] TWILIO_JARS = {"/com/twilio/sdk/", "/org/apache/httpcomponents/client5/",
        "/org/apache/httpcomponents/core5/", "/io/jsonwebtoken/", "/com/fasterxml/jackson/dataformat/"};
    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String AUTH_TOKEN = "fedcba9876543210fedcba9876543210";

    @Test
    void sendgrid_without_sendgrid_java_names_the_artifact_and_its_tested_version() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars(SENDGRID_JARS)) {
            Throwable failure = catchThrowable(() -> sendGrid(host));

            assertThat(failure).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the sendgrid provider needs com.sendgrid:sendgrid-java on the class path")
                    .hasMessageContaining("com.sendgrid.SendGrid")
                    .hasMessageContaining("tested with version " + testedVersion(SendGrid.class));
        }
    }

    @Test
    void sendgrid_without_apache_httpclient_names_sendgrid_java_not_only_the_missing_class() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars("/org/apache/httpcomponents/httpclient/")) {
            Throwable failure = catchThrowable(() -> sendGrid(host));

            assertThat(failure).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the sendgrid provider needs com.sendgrid:sendgrid-java")
                    .hasMessageContaining("org.apache.http.client.config.RequestConfig (of that SDK or a jar it brings)")
                    .hasMessageContaining("add the dependency com.sendgrid:sendgrid-java (IRISX is built and tested "
                            + "with version " + testedVersion(SendGrid.class));
        }
    }

    @Test
    void ses_without_sesv2_names_the_artifact_and_its_tested_version() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars("/software/amazon/awssdk/")) {
            assertThat(catchThrowable(() -> ses(host))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the ses provider needs software.amazon.awssdk:sesv2 on the class path")
                    .hasMessageContaining("tested with version " + testedVersion(SesV2Client.class));
        }
    }

    @Test
    void ses_without_the_url_connection_client_names_that_artifact() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars("/software/amazon/awssdk/url-connection-client/")) {
            assertThat(catchThrowable(() -> ses(host))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the ses provider needs software.amazon.awssdk:url-connection-client")
                    .hasMessageContaining("UrlConnectionHttpClient")
                    .hasMessageContaining("tested with version " + testedVersion(UrlConnectionHttpClient.class));
        }
    }

    @Test
    void ses_without_angus_mail_names_that_artifact_for_its_raw_mime_messages() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars(ANGUS_MAIL_JARS)) {
            assertThat(catchThrowable(() -> ses(host))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the ses provider needs org.eclipse.angus:angus-mail on the class path")
                    .hasMessageContaining("tested with version " + testedVersion(SMTPTransport.class));
        }
    }

    @Test
    void smtp_without_angus_mail_names_the_artifact_and_its_tested_version() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars(ANGUS_MAIL_JARS)) {
            assertThat(catchThrowable(() -> smtp(host))).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the smtp provider needs org.eclipse.angus:angus-mail on the class path")
                    .hasMessageContaining("jakarta.mail.Session")
                    .hasMessageContaining("tested with version " + testedVersion(SMTPTransport.class));
        }
    }

    @Test
    void smtp_bounces_without_angus_mail_name_the_artifact_for_reading_dsns() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars(ANGUS_MAIL_JARS)) {
            Throwable failure = catchThrowable(() -> host.call(SMTP_BOUNCES, "of",
                    new Class<?>[] {host.load(Tenant.class.getName())}, (Object) null));

            assertThat(failure).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the smtp provider needs org.eclipse.angus:angus-mail on the class path")
                    .hasMessageContaining("jakarta.mail.Session")
                    .hasMessageContaining("tested with version " + testedVersion(SMTPTransport.class));
        }
    }

    @Test
    void twilio_without_its_sdk_names_the_artifact_and_its_tested_version() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars(TWILIO_JARS)) {
            assertThat(catchThrowable(() -> twilio(host))).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the twilio provider needs com.twilio.sdk:twilio on the class path")
                    .hasMessageContaining("com.twilio.http.TwilioRestClient")
                    .hasMessageContaining("tested with version " + testedVersion(TwilioRestClient.class));
        }
    }

    @Test
    void twilio_without_apache_httpclient_5_names_the_twilio_sdk() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars("/org/apache/httpcomponents/client5/")) {
            assertThat(catchThrowable(() -> twilio(host))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the twilio provider needs com.twilio.sdk:twilio on the class path")
                    .hasMessageContaining("org.apache.hc.client5.http.impl.classic.HttpClientBuilder");
        }
    }

    @Test
    void twilio_callbacks_without_the_twilio_sdk_name_it_too() throws Throwable {
        try (HostWithoutJars host = new HostWithoutJars(TWILIO_JARS)) {
            Throwable failure = catchThrowable(() -> host.call(TWILIO_CALLBACKS, "builder",
                    new Class<?>[] {host.load(Tenant.class.getName()), String.class}, null, AUTH_TOKEN));

            assertThat(failure).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the twilio provider needs com.twilio.sdk:twilio on the class path")
                    .hasMessageContaining("com.twilio.security.RequestValidator");
        }
    }

    @Test
    void each_provider_builds_in_the_same_kind_of_class_loader_when_no_jar_is_missing() throws Throwable {
        // Leaves out only an unrelated jar: the loader itself is not what makes the tests above fail.
        try (HostWithoutJars host = new HostWithoutJars("/org/awaitility/")) {
            assertThat(sendGrid(host).getClass().getName()).isEqualTo(SENDGRID);
            assertThat(ses(host).getClass().getName()).isEqualTo(SES);
            assertThat(smtp(host).getClass().getName()).isEqualTo(SMTP);
            assertThat(twilio(host).getClass().getName()).isEqualTo(TWILIO);
        }
    }

    private static Object sendGrid(HostWithoutJars host) throws Throwable {
        return build(host, host.call(SENDGRID, "builder", new Class<?>[] {String.class}, "SG.an-api-key"));
    }

    private static Object ses(HostWithoutJars host) throws Throwable {
        Object builder = host.call(SES, "builder", new Class<?>[] {String.class}, "eu-west-1");
        builder.getClass().getMethod("credentials", String.class, String.class)
                .invoke(builder, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        return build(host, builder);
    }

    private static Object smtp(HostWithoutJars host) throws Throwable {
        return build(host, host.call(SMTP, "builder", new Class<?>[] {String.class, int.class}, "127.0.0.1", 2525));
    }

    private static Object twilio(HostWithoutJars host) throws Throwable {
        return build(host, host.call(TWILIO, "builder", new Class<?>[] {String.class, String.class}, ACCOUNT_SID,
                AUTH_TOKEN));
    }

    private static Object build(HostWithoutJars host, Object builder) throws Throwable {
        return host.call(builder, "build");
    }

    /** The version of the jar {@code sdkClass} is loaded from here: the one this build tests with. */
    private static String testedVersion(Class<?> sdkClass) throws URISyntaxException {
        // A Maven repository keeps a jar under .../artifactId/version/artifactId-version.jar.
        Path jar = Path.of(sdkClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getFileName().toString();
    }
}
