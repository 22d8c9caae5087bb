package io.irisx.spring.boot;

import static io.irisx.spring.boot.Starter.propertyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.testkit.sms.LocalTwilio;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhooksModule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Which modules the auto-configuration installs, and how their properties reach them. */
@ExtendWith(OutputCaptureExtension.class)
class ModuleAutoConfigurationTest {

    private static final String POSTMARK_TOKEN = "f3a1c9e2-7b44-4d0e-9c1a-55e0b7d2a6c8";

    @TempDir
    Path data;

    private ApplicationContextRunner runner() {
        return Starter.runner(data);
    }

    @Test
    void webhooks_are_installed_by_default_and_keep_private_addresses_out() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(WebhooksModule.class);
            WebhookEndpoints endpoints = WebhookEndpoints.of(context.getBean(Irisx.class).tenant("acme"));
            assertThatThrownBy(() -> endpoints.create(EndpointSpec.builder("http://127.0.0.1:9/hook").build()))
                    .hasMessageContaining("127.0.0.1");
        });
    }

    @Test
    void the_ssrf_allowlist_lets_webhooks_reach_the_subnets_it_names() {
        runner().withPropertyValues("irisx.webhooks.ssrf.allow=10.0.0.0/8,127.0.0.0/8").run(context -> {
            WebhookEndpoints endpoints = WebhookEndpoints.of(context.getBean(Irisx.class).tenant("acme"));
            assertThat(endpoints.create(EndpointSpec.builder("http://127.0.0.1:9/hook").build()).endpoint().url())
                    .isEqualTo("http://127.0.0.1:9/hook");
        });
    }

    @Test
    void https_only_refuses_plain_http_endpoints() {
        runner().withPropertyValues("irisx.webhooks.ssrf.https-only=true").run(context -> {
            WebhookEndpoints endpoints = WebhookEndpoints.of(context.getBean(Irisx.class).tenant("acme"));
            assertThatThrownBy(() -> endpoints.create(EndpointSpec.builder("http://hooks.example.com/x").build()))
                    .hasMessageContaining("https");
        });
    }

    @Test
    void a_malformed_subnet_is_reported_under_its_list_entry() {
        runner().withPropertyValues("irisx.webhooks.ssrf.allow=10.0.0.0/8,10.0.0.1/8").run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.webhooks.ssrf.allow[1]");
            assertThat(failure.getMessage()).contains("10.0.0.1/8");
        });
    }

    @Test
    void webhooks_are_left_out_when_disabled_or_absent_from_the_class_path(CapturedOutput output) {
        runner().withPropertyValues("irisx.webhooks.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(WebhooksModule.class);
            assertThat(context.getBean(Irisx.class).modules()).isEmpty();
            assertThat(output).contains("the webhooks module is on the class path but not installed: "
                    + "irisx.webhooks.enabled is false");
        });
        runner().withClassLoader(new FilteredClassLoader(WebhooksModule.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(WebhooksModule.class);
            assertThat(context.getBean(Irisx.class).modules()).isEmpty();
        });
    }

    @Test
    void an_application_webhooks_module_replaces_the_starters() {
        WebhooksModule own = WebhooksModule.builder().sendOnly().build();
        runner().withBean(WebhooksModule.class, () -> own).run(context -> {
            assertThat(context.getBean(WebhooksModule.class)).isSameAs(own);
            assertThat(context.getBean(Irisx.class).modules()).containsExactly("webhooks");
        });
    }

    @Test
    void email_goes_through_the_configured_chain_to_the_providers_at_their_base_urls() throws Exception {
        try (MockWebServer resend = LocalEmailApis.start(); MockWebServer postmark = LocalEmailApis.start()) {
            resend.enqueue(LocalEmailApis.resendAccepted());
            runner().withPropertyValues(
                    "irisx.email.postmark.server-token=" + POSTMARK_TOKEN,
                    "irisx.email.postmark.base-url=" + postmark.url("/"),
                    "irisx.email.resend.api-key=re_test_key",
                    "irisx.email.resend.base-url=" + resend.url("/"),
                    "irisx.email.chain=resend,postmark").run(context -> {
                        Irisx irisx = context.getBean(Irisx.class);
                        assertThat(irisx.modules()).containsExactly("webhooks", "email");
                        EmailClient email = EmailClient.of(irisx.tenant("acme"));
                        MessageId id = email.send(EmailMessage.builder().from("billing@acme.example")
                                .to("ada@example.com").subject("Your receipt").text("Thank you.").build());
                        RecordedRequest sent = resend.takeRequest(30, TimeUnit.SECONDS);
                        assertThat(sent).isNotNull();
                        assertThat(sent.getUrl().encodedPath()).isEqualTo("/emails");
                        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer re_test_key");
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> email.get(id).status() == EmailStatus.SENT);
                        assertThat(email.get(id).provider()).contains("resend");
                        assertThat(postmark.getRequestCount()).isZero();
                    });
        }
    }

    @Test
    void a_test_mode_views_email_goes_to_the_sandbox_and_never_to_a_configured_provider() throws Exception {
        try (MockWebServer postmark = LocalEmailApis.start()) {
            runner().withPropertyValues(
                    "irisx.email.postmark.server-token=" + POSTMARK_TOKEN,
                    "irisx.email.postmark.base-url=" + postmark.url("/")).run(context -> {
                        Irisx irisx = context.getBean(Irisx.class);
                        EmailClient email = EmailClient.of(irisx.tenant("acme").testMode());
                        assertThat(email.isTest()).isTrue();
                        MessageId id = email.send(EmailMessage.builder().from("billing@acme.example")
                                .to("ada@example.com").subject("Your receipt").text("Thank you.").build());
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> email.get(id).status() == EmailStatus.DELIVERED);
                        assertThat(email.get(id).test()).isTrue();
                        assertThat(email.get(id).provider()).contains("sandbox");
                        assertThat(email.history(id)).extracting(change -> change.status())
                                .containsExactly(EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED);
                        assertThat(postmark.getRequestCount()).isZero();
                    });
        }
    }

    @Test
    void each_rest_provider_is_built_from_its_properties_in_a_fixed_order() {
        runner().withPropertyValues(
                "irisx.email.elastic-email.api-key=ee-test-key",
                "irisx.email.mailgun.api-key=key-test",
                "irisx.email.mailgun.domain=mg.acme.example",
                "irisx.email.mailgun.region=EU",
                "irisx.email.resend.api-key=re_test_key",
                "irisx.email.postmark.server-token=" + POSTMARK_TOKEN,
                "irisx.email.postmark.message-stream=receipts").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(EmailModule.class).toString())
                            .contains("[postmark, resend, mailgun, elasticemail]");
                });
    }

    @Test
    void a_chain_may_name_a_provider_as_irisx_does() {
        runner().withPropertyValues("irisx.email.elastic-email.api-key=ee-test-key",
                "irisx.email.resend.api-key=re_test_key", "irisx.email.chain=ElasticEmail,resend",
                "irisx.email.tenant-chains.acme=resend")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(EmailModule.class));
    }

    @Test
    void a_chain_naming_an_unknown_or_unconfigured_provider_is_refused() {
        runner().withPropertyValues("irisx.email.resend.api-key=re_test_key", "irisx.email.chain=resend,mailchimp")
                .run(context -> {
                    IrisxPropertyException failure = propertyFailure(context);
                    assertThat(failure.property()).isEqualTo("irisx.email.chain");
                    assertThat(failure.getMessage()).contains("'mailchimp' is not an email provider");
                });
        runner().withPropertyValues("irisx.email.resend.api-key=re_test_key",
                "irisx.email.tenant-chains.acme=postmark").run(context -> {
                    IrisxPropertyException failure = propertyFailure(context);
                    assertThat(failure.property()).isEqualTo("irisx.email.tenant-chains.acme");
                    assertThat(failure.getMessage()).contains("postmark, which is not configured");
                });
    }

    @Test
    void a_provider_secret_irisx_refuses_is_named_but_never_shown() {
        String token = "not a token";
        runner().withPropertyValues("irisx.email.postmark.server-token=" + token).run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.email.postmark.server-token");
            assertThat(failure.getMessage()).doesNotContain(token);
        });
    }

    @Test
    void a_provider_missing_a_companion_property_is_refused_under_that_property() {
        runner().withPropertyValues("irisx.email.mailgun.api-key=key-test").run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.email.mailgun.domain");
            assertThat(failure.getMessage()).contains("is required with irisx.email.mailgun.api-key");
        });
        runner().withPropertyValues("irisx.email.mailgun.api-key=key-test",
                "irisx.email.mailgun.domain=mg.acme.example", "irisx.email.mailgun.region=asia").run(context -> {
                    IrisxPropertyException failure = propertyFailure(context);
                    assertThat(failure.property()).isEqualTo("irisx.email.mailgun.region");
                    assertThat(failure.getMessage()).contains("expected one of us, eu, was 'asia'");
                });
    }

    @Test
    void a_provider_whose_sdk_is_missing_is_refused_naming_the_artifact_to_add() {
        runner().withPropertyValues("irisx.email.sendgrid.api-key=SG.test-key").run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.email.sendgrid.api-key");
            assertThat(failure.getMessage()).contains("com.sendgrid:sendgrid-java");
        });
        runner().withPropertyValues("irisx.email.smtp.host=smtp.acme.example").run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.email.smtp");
            assertThat(failure.getMessage()).contains("angus-mail");
        });
        runner().withPropertyValues("irisx.email.ses.region=eu-west-1").run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.email.ses.region");
            assertThat(failure.getMessage()).contains("sesv2");
        });
    }

    @Test
    void a_send_only_email_module_queues_and_sends_nothing() {
        runner().withPropertyValues("irisx.email.send-only=true").run(context -> {
            Irisx irisx = context.getBean(Irisx.class);
            assertThat(irisx.modules()).contains("email");
            EmailClient email = EmailClient.of(irisx.tenant("acme"));
            MessageId id = email.send(EmailMessage.builder().from("billing@acme.example").to("ada@example.com")
                    .subject("Your receipt").text("Thank you.").build());
            assertThat(email.get(id).status()).isEqualTo(EmailStatus.QUEUED);
            assertThat(irisx.backlog().channels().values()).anySatisfy(channel -> {
                assertThat(channel.channel().name()).isEqualTo("EMAIL");
                assertThat(channel.pending()).isEqualTo(1);
            });
        });
    }

    @Test
    void send_only_with_providers_is_refused() {
        runner().withPropertyValues("irisx.email.send-only=true", "irisx.email.resend.api-key=re_test_key")
                .run(context -> {
                    IrisxPropertyException failure = propertyFailure(context);
                    assertThat(failure.property()).isEqualTo("irisx.email.send-only");
                    assertThat(failure.getMessage()).contains("[resend]").doesNotContain("re_test_key");
                });
    }

    @Test
    void email_is_left_out_when_disabled() {
        runner().withPropertyValues("irisx.email.enabled=false", "irisx.email.resend.api-key=re_test_key")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EmailModule.class));
    }

    @Test
    void messaging_absent_from_the_class_path_installs_neither_email_nor_sms() {
        runner().withClassLoader(new FilteredClassLoader("io.irisx.messaging"))
                .withPropertyValues("irisx.email.resend.api-key=re_test_key", "irisx.sms.send-only=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Irisx.class).modules()).containsExactly("webhooks");
                });
    }

    @Test
    void sms_goes_through_twilio_at_its_base_url() {
        try (LocalTwilio twilio = new LocalTwilio()) {
            runner().withPropertyValues(
                    "irisx.sms.twilio.account-sid=" + LocalTwilio.ACCOUNT_SID,
                    "irisx.sms.twilio.auth-token=" + LocalTwilio.AUTH_TOKEN,
                    "irisx.sms.twilio.base-url=" + twilio.baseUrl(),
                    "irisx.sms.default-region=GB").run(context -> {
                        Irisx irisx = context.getBean(Irisx.class);
                        assertThat(irisx.modules()).containsExactly("webhooks", "sms");
                        SmsClient sms = SmsClient.of(irisx.tenant("acme"));
                        MessageId id = sms.send(SmsMessage.builder().from("+14155550100").to("07400 123456")
                                .body("Your code is 482913").build());
                        assertThat(sms.get(id).to()).isEqualTo("+447400123456");
                        await().atMost(Duration.ofSeconds(30)).until(() -> sms.get(id).status() == SmsStatus.SENT);
                        assertThat(twilio.requests()).singleElement().satisfies(request -> assertThat(
                                request.getUrl().encodedPath()).isEqualTo("/2010-04-01/Accounts/"
                                        + LocalTwilio.ACCOUNT_SID + "/Messages.json"));
                    });
        }
    }

    @Test
    void twilio_without_its_auth_token_is_refused_under_that_property() {
        runner().withPropertyValues("irisx.sms.twilio.account-sid=" + LocalTwilio.ACCOUNT_SID).run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.sms.twilio.auth-token");
            assertThat(failure.getMessage()).contains("is required with irisx.sms.twilio.account-sid");
        });
    }

    @Test
    void a_send_only_sms_module_takes_no_provider() {
        runner().withPropertyValues("irisx.sms.send-only=true").run(context -> {
            assertThat(context).hasSingleBean(SmsModule.class);
            assertThat(context.getBean(SmsModule.class).toString()).contains("send-only");
        });
    }
}
