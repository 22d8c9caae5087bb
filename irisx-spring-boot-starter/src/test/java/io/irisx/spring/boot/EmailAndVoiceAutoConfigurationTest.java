package io.irisx.spring.boot;

import static io.irisx.spring.boot.Starter.propertyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.EmailStream;
import io.irisx.voice.CallRequest;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * How the email module's links, tracking, complaint alerts and suppressed-recipient setting, and the voice module,
 * are configured from {@code irisx.email.*} and {@code irisx.voice.*}. Twilio's Calls API on loopback answers as
 * https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource documents (201 with the Call resource);
 * Resend's as https://resend.com/docs/api-reference/emails/send-email does.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmailAndVoiceAutoConfigurationTest {

    private static final String ACCOUNT_SID = "AC3f9b2c7d1e4a5b6c8d9e0f1a2b3c4d5e";
    private static final String AUTH_TOKEN = "9f1c2b3a4d5e6f708192a3b4c5d6e7f8";
    private static final String CALLS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";
    private static final Flow SUPPORT = Flow.builder("support").say("hello", "Hello from Acme.").hangup("bye").build();

    @TempDir
    Path data;

    private ApplicationContextRunner runner() {
        return Starter.runner(data);
    }

    private static ApplicationContextRunner withResend(ApplicationContextRunner runner, MockWebServer resend) {
        return runner.withPropertyValues("irisx.email.resend.api-key=re_test_key",
                "irisx.email.resend.base-url=" + resend.url("/"));
    }

    // --- email links and tracking ---

    @Test
    void links_and_the_unsubscribe_mailbox_go_into_marketing_emails() throws Exception {
        try (MockWebServer resend = LocalEmailApis.start()) {
            resend.enqueue(LocalEmailApis.resendAccepted());
            withResend(runner(), resend).withPropertyValues(
                    "irisx.email.links.base-url=https://links.acme.example/mail/",
                    "irisx.email.links.unsubscribe-mailbox=unsubscribe@acme.example").run(context -> {
                        EmailClient email = EmailClient.of(context.getBean(Irisx.class).tenant("acme"));
                        MessageId id = email.send(newsletter().build());
                        RecordedRequest sent = resend.takeRequest(30, TimeUnit.SECONDS);
                        assertThat(sent).isNotNull();
                        String body = sent.getBody().utf8();
                        assertThat(body).contains("https://links.acme.example/mail/u/")
                                .contains("mailto:unsubscribe@acme.example?subject=unsubscribe-");
                        await().atMost(Duration.ofSeconds(30)).until(() -> email.get(id).status() == EmailStatus.SENT);
                        assertThat(context.getBean(EmailModule.class).links()).isNotNull();
                    });
        }
    }

    @Test
    void without_links_marketing_emails_are_refused() {
        runner().withPropertyValues("irisx.email.send-only=true").run(context -> {
            EmailClient email = EmailClient.of(context.getBean(Irisx.class).tenant("acme"));
            assertThatThrownBy(() -> email.send(newsletter().build())).isInstanceOf(IrisxValidationException.class);
        });
    }

    @Test
    void tracking_enabled_tracks_every_tenants_emails_that_ask() throws Exception {
        try (MockWebServer resend = LocalEmailApis.start()) {
            resend.enqueue(LocalEmailApis.resendAccepted());
            withResend(runner(), resend).withPropertyValues("irisx.email.links.base-url=https://links.acme.example",
                    "irisx.email.tracking.enabled=true").run(context -> {
                        EmailClient.of(context.getBean(Irisx.class).tenant("globex")).send(tracked());
                        RecordedRequest sent = resend.takeRequest(30, TimeUnit.SECONDS);
                        assertThat(sent).isNotNull();
                        assertThat(sent.getBody().utf8()).contains("https://links.acme.example/o/");
                    });
        }
    }

    @Test
    void tracking_tenants_tracks_only_the_tenants_named() throws Exception {
        try (MockWebServer resend = LocalEmailApis.start()) {
            resend.enqueue(LocalEmailApis.resendAccepted());
            resend.enqueue(LocalEmailApis.resendAccepted());
            withResend(runner(), resend).withPropertyValues("irisx.email.links.base-url=https://links.acme.example",
                    "irisx.email.tracking.tenants=acme").run(context -> {
                        Irisx irisx = context.getBean(Irisx.class);
                        EmailClient.of(irisx.tenant("globex")).send(tracked());
                        RecordedRequest globex = resend.takeRequest(30, TimeUnit.SECONDS);
                        EmailClient.of(irisx.tenant("acme")).send(tracked());
                        RecordedRequest acme = resend.takeRequest(30, TimeUnit.SECONDS);
                        assertThat(globex.getBody().utf8()).doesNotContain("https://links.acme.example/o/");
                        assertThat(acme.getBody().utf8()).contains("https://links.acme.example/o/");
                    });
        }
    }

    @Test
    void bad_link_settings_are_refused_under_their_property() {
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true",
                "irisx.email.links.base-url=http://links.acme.example"), "irisx.email.links.base-url", "https");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true",
                "irisx.email.links.unsubscribe-mailbox=unsubscribe@acme.example"), "irisx.email.links.base-url",
                "is required with irisx.email.links.unsubscribe-mailbox");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true",
                "irisx.email.tracking.enabled=true"), "irisx.email.links.base-url",
                "is required with irisx.email.tracking");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true",
                "irisx.email.links.base-url=https://links.acme.example",
                "irisx.email.links.unsubscribe-mailbox=not an address"), "irisx.email.links.unsubscribe-mailbox",
                "not an address");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true",
                "irisx.email.links.base-url=https://links.acme.example", "irisx.email.tracking.enabled=true",
                "irisx.email.tracking.tenants=acme"), "irisx.email.tracking.tenants", "set one or the other");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true",
                "irisx.email.links.base-url=https://links.acme.example", "irisx.email.tracking.tenants=acme,Bad Id"),
                "irisx.email.tracking.tenants[1]", "Bad Id");
    }

    // --- suppressed recipients and complaint alerts ---

    @Test
    void drop_suppressed_recipients_sends_to_the_others() {
        runner().withPropertyValues("irisx.email.send-only=true").run(context -> {
            EmailClient email = EmailClient.of(context.getBean(Irisx.class).tenant("acme"));
            email.suppressions().add("bounced@example.com", EmailStream.TRANSACTIONAL, "hard bounce");
            assertThatThrownBy(() -> email.send(toBoth())).isInstanceOf(SuppressedRecipientException.class);
        });
        runner().withPropertyValues("irisx.email.send-only=true", "irisx.email.drop-suppressed-recipients=true")
                .run(context -> {
                    EmailClient email = EmailClient.of(context.getBean(Irisx.class).tenant("acme"));
                    email.suppressions().add("bounced@example.com", EmailStream.TRANSACTIONAL, "hard bounce");
                    MessageId id = email.send(toBoth());
                    assertThat(email.get(id).to()).singleElement()
                            .satisfies(to -> assertThat(to.toString()).contains("ada@example.com"));
                });
    }

    @Test
    void complaint_alerts_take_each_value_set_and_irisx_defaults_for_the_rest() {
        runner().withPropertyValues("irisx.email.send-only=true", "irisx.email.complaint-alerts.window=6h",
                "irisx.email.complaint-alerts.warning=0.002", "irisx.email.complaint-alerts.minimum-volume=500")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(EmailModule.class));
    }

    @Test
    void bad_complaint_alerts_are_refused_under_their_property() {
        String prefix = "irisx.email.complaint-alerts.";
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true", prefix + "window=0s"),
                prefix + "window", "must be positive");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true", prefix + "warning=0"),
                prefix + "warning", "above 0 and at most 1", "was 0.0");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true", prefix + "alarm=1.5"),
                prefix + "alarm", "above 0 and at most 1", "was 1.5");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true", prefix + "warning=0.01"),
                prefix + "warning", "at most the alarm, 0.003", "was 0.01");
        assertRefused(runner().withPropertyValues("irisx.email.send-only=true", prefix + "minimum-volume=0"),
                prefix + "minimum-volume", "at least 1");
    }

    // --- voice ---

    @Test
    void voice_places_calls_through_twilio_running_the_applications_flows() throws Exception {
        try (MockWebServer twilio = LocalEmailApis.start()) {
            twilio.enqueue(new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json")
                    .body(call("CA" + "0".repeat(31) + "1")).build());
            runner().withBean(Flow.class, () -> SUPPORT).withPropertyValues(
                    "irisx.voice.twilio.account-sid=" + ACCOUNT_SID,
                    "irisx.voice.twilio.auth-token=" + AUTH_TOKEN,
                    "irisx.voice.twilio.base-url=" + twilio.url("/"),
                    "irisx.voice.twilio.flow-url=https://hooks.acme.example/voice/{tenant}/twilio",
                    "irisx.voice.default-region=GB").run(context -> {
                        Irisx irisx = context.getBean(Irisx.class);
                        assertThat(irisx.modules()).containsExactly("webhooks", "voice");
                        Voice voice = Voice.of(irisx.tenant("acme"));
                        voice.call(CallRequest.builder().to("07400 123456").from("+14155550100").flow("support")
                                .build());
                        RecordedRequest placed = twilio.takeRequest(30, TimeUnit.SECONDS);
                        assertThat(placed).isNotNull();
                        assertThat(placed.getUrl().encodedPath()).isEqualTo(CALLS_PATH);
                        assertThat(placed.getBody().utf8()).contains("To=%2B447400123456")
                                .contains("hooks.acme.example");
                    });
        }
    }

    /**
     * FreeSWITCH's Event Socket on loopback, as mod_event_socket speaks it in inbound mode
     * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Client-and-Developer-Interfaces/Event-Socket-Library/):
     * {@code auth/request}, {@code +OK accepted} to the password, {@code +OK} to the subscription and to
     * {@code bgapi} (with its {@code Job-UUID}).
     */
    @Test
    void voice_places_calls_through_freeswitch_over_its_event_socket() throws Exception {
        try (ServerSocket freeswitch = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BlockingQueue<String> commands = new LinkedBlockingQueue<>();
            Thread server = new Thread(() -> {
                try (Socket client = freeswitch.accept()) {
                    OutputStream out = client.getOutputStream();
                    InputStream in = client.getInputStream();
                    out.write("Content-Type: auth/request\n\n".getBytes(StandardCharsets.UTF_8));
                    StringBuilder command = new StringBuilder();
                    int b;
                    while ((b = in.read()) >= 0) {
                        command.append((char) b);
                        if (command.toString().endsWith("\n\n")) {
                            String text = command.toString();
                            commands.add(text);
                            String reply = text.startsWith("auth ClueCon-starter\n") ? "+OK accepted"
                                    : text.startsWith("bgapi ") ? "+OK Job-UUID: " + text.replaceAll(
                                            "(?s).*Job-UUID: ([^\n]+).*", "$1") : "+OK";
                            out.write(("Content-Type: command/reply\nReply-Text: " + reply + "\n\n")
                                    .getBytes(StandardCharsets.UTF_8));
                            command.setLength(0);
                        }
                    }
                } catch (IOException e) {
                    // The client closed.
                }
            });
            server.setDaemon(true);
            server.start();
            runner().withBean(Flow.class, () -> SUPPORT).withPropertyValues(
                    "irisx.voice.freeswitch.host=127.0.0.1",
                    "irisx.voice.freeswitch.port=" + freeswitch.getLocalPort(),
                    "irisx.voice.freeswitch.password=ClueCon-starter",
                    "irisx.voice.freeswitch.dial-string=sofia/gateway/main/{number}",
                    "irisx.voice.freeswitch.recordings-url=https://media.acme.example/recordings",
                    "irisx.voice.default-region=GB").run(context -> {
                        Irisx irisx = context.getBean(Irisx.class);
                        assertThat(irisx.modules()).containsExactly("webhooks", "voice");
                        Voice voice = Voice.of(irisx.tenant("acme"));
                        voice.call(CallRequest.builder().to("07400 123456").from("+14155550100").flow("support")
                                .build());
                        String originate;
                        do {
                            originate = commands.poll(30, TimeUnit.SECONDS);
                            assertThat(originate).isNotNull();
                        } while (!originate.startsWith("bgapi "));
                        assertThat(originate).contains("irisx_tenant=acme,irisx_flow=support")
                                .contains("}sofia/gateway/main/+447400123456 &park()");
                    });
        }
    }

    @Test
    void a_queue_only_voice_module_takes_no_provider_and_refuses_unknown_flows() {
        runner().withBean(Flow.class, () -> SUPPORT).withPropertyValues("irisx.voice.queue-only=true").run(context -> {
            Irisx irisx = context.getBean(Irisx.class);
            assertThat(irisx.modules()).contains("voice");
            Voice voice = Voice.of(irisx.tenant("acme"));
            assertThat(voice.call(CallRequest.builder().to("+447400123456").from("+14155550100").flow("support")
                    .build())).isNotNull();
            assertThatThrownBy(() -> voice.call(CallRequest.builder().to("+447400123456").from("+14155550100")
                    .flow("sales").build())).isInstanceOf(IrisxValidationException.class);
        });
    }

    @Test
    void voice_is_left_out_without_a_provider_when_disabled_or_absent_from_the_class_path(CapturedOutput output) {
        runner().run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(VoiceModule.class);
            assertThat(output).contains("the voice module is on the class path but not installed: no provider is "
                    + "configured (irisx.voice.twilio.account-sid, irisx.voice.freeswitch.host) and"
                    + " irisx.voice.queue-only is false");
        });
        runner().withPropertyValues("irisx.voice.enabled=false", "irisx.voice.queue-only=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(VoiceModule.class));
        runner().withClassLoader(new FilteredClassLoader("io.irisx.voice"))
                .withPropertyValues("irisx.voice.queue-only=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Irisx.class).modules()).containsExactly("webhooks");
                });
    }

    @Test
    void bad_voice_settings_are_refused_under_their_property() {
        assertRefused(runner().withPropertyValues("irisx.voice.twilio.account-sid=" + ACCOUNT_SID),
                "irisx.voice.twilio.auth-token", "is required with irisx.voice.twilio.account-sid");
        assertRefused(runner().withPropertyValues("irisx.voice.queue-only=true",
                "irisx.voice.twilio.account-sid=" + ACCOUNT_SID), "irisx.voice.queue-only", "[twilio]");
        assertRefused(runner().withPropertyValues("irisx.voice.queue-only=true", "irisx.voice.default-region=XX"),
                "irisx.voice.default-region", "'XX'");
        assertRefused(runner().withPropertyValues("irisx.voice.queue-only=true", "irisx.voice.concurrency=0"),
                "irisx.voice.concurrency", "between 1 and 256");
        assertRefused(runner().withPropertyValues("irisx.voice.twilio.account-sid=" + ACCOUNT_SID,
                "irisx.voice.twilio.auth-token=" + AUTH_TOKEN, "irisx.voice.twilio.flow-url=ftp://x"),
                "irisx.voice.twilio.flow-url", "flowUrl");
        assertRefused(runner().withPropertyValues("irisx.voice.twilio.account-sid=" + ACCOUNT_SID,
                "irisx.voice.twilio.auth-token=" + AUTH_TOKEN,
                "irisx.voice.twilio.recording-status-callback-url=ftp://x"),
                "irisx.voice.twilio.recording-status-callback-url", "recordingStatusCallbackUrl");
        String secret = "not-a-token";
        runner().withPropertyValues("irisx.voice.twilio.account-sid=" + ACCOUNT_SID,
                "irisx.voice.twilio.auth-token=" + secret).run(context -> {
                    IrisxPropertyException failure = propertyFailure(context);
                    assertThat(failure.property()).isEqualTo("irisx.voice.twilio");
                    assertThat(failure.getMessage()).contains("authToken").doesNotContain(secret);
                });
    }

    private static void assertRefused(ApplicationContextRunner runner, String property, String... messageParts) {
        runner.run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo(property);
            assertThat(failure.getMessage()).contains(messageParts);
        });
    }

    private static EmailMessage.Builder newsletter() {
        return EmailMessage.builder().from("news@acme.example").to("ada@example.com").subject("Spring sale")
                .html("<p>Everything must go.</p>").stream(EmailStream.MARKETING);
    }

    private static EmailMessage tracked() {
        return EmailMessage.builder().from("billing@acme.example").to("ada@example.com").subject("Your receipt")
                .html("<p>Thank you. <a href=\"https://acme.example/orders/1\">Your order</a></p>").track(true)
                .build();
    }

    private static EmailMessage toBoth() {
        return EmailMessage.builder().from("billing@acme.example").to("ada@example.com").to("bounced@example.com")
                .subject("Your receipt").text("Thank you.").build();
    }

    /** Twilio's Call resource, as its create answer holds it. */
    private static String call(String sid) {
        return """
                {"account_sid": "%s", "annotation": null, "answered_by": null, "api_version": "2010-04-01",
                 "caller_name": null, "date_created": "Tue, 31 Aug 2010 20:36:28 +0000",
                 "date_updated": "Tue, 31 Aug 2010 20:36:44 +0000", "direction": "outbound-api",
                 "duration": null, "end_time": null, "forwarded_from": null, "from": "+14155550100",
                 "from_formatted": "(415) 555-0100", "group_sid": null, "parent_call_sid": null,
                 "phone_number_sid": "PN0123456789abcdef0123456789abcdef", "price": null, "price_unit": "USD",
                 "sid": "%s", "start_time": null, "status": "queued", "subresource_uris": {},
                 "to": "+447400123456", "to_formatted": "+447400123456", "trunk_sid": null,
                 "uri": "/2010-04-01/Accounts/%s/Calls/%s.json", "queue_time": "0"}"""
                .formatted(ACCOUNT_SID, sid, ACCOUNT_SID, sid);
    }
}
