package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Channel;
import io.irisx.core.InsufficientCreditException;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.PageRequest;
import io.irisx.core.RateLimitedException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.tenant.ApiKey;
import io.irisx.core.tenant.ApiScope;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.email.resend.ResendProvider;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.twilio.TwilioProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Test-mode sends and tenants' stored settings, end to end in a runtime with live providers, on each database.
 *
 * <p>The live providers talk to local servers speaking their documented wire formats, which answer every request as
 * accepted and count them:
 * <ul>
 *   <li>Postmark, https://postmarkapp.com/developer/api/email-api — {@code POST /email} with
 *       {@code X-Postmark-Server-Token}, answered {@code {To, SubmittedAt, MessageID, ErrorCode: 0, Message: "OK"}};</li>
 *   <li>Resend, https://resend.com/docs/api-reference/emails/send-email — {@code POST /emails} with
 *       {@code Authorization: Bearer <key>}, answered {@code {"id": "…"}};</li>
 *   <li>Twilio, https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource —
 *       {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} with HTTP Basic auth, answered 201 with the
 *       Message resource {@code {"sid": "SM…", "status": "queued", …}}.</li>
 * </ul>
 */
@OnEachDialect
class TenantModeAndSettingsTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final String ACCOUNT_SID = "AC" + "1".repeat(32);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    Database.Dialect dialect;
    private final MockWebServer postmark = new MockWebServer();
    private final MockWebServer resend = new MockWebServer();
    private final MockWebServer twilio = new MockWebServer();
    private final MockWebServer postmarkSandbox = new MockWebServer();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private Database database;
    private Irisx irisx;

    @BeforeEach
    void start() throws IOException {
        for (MockWebServer server : List.of(postmark, resend, twilio, postmarkSandbox)) {
            server.setDispatcher(new Accepting());
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        }
        database = TestDatabases.of(dialect);
    }

    @AfterEach
    void stop() {
        if (irisx != null) {
            irisx.close();
        }
        database.close();
        for (MockWebServer server : List.of(postmark, resend, twilio, postmarkSandbox)) {
            server.close();
        }
    }

    /** A runtime whose email goes through Postmark then Resend and SMS through Twilio; with a test provider or not. */
    private Irisx runtime(boolean emailTestProvider) {
        EmailModule.Builder email = EmailModule.builder()
                .provider(PostmarkProvider.builder("pm-live-token").baseUrl(url(postmark)).build())
                .provider(ResendProvider.builder("re_live_key").baseUrl(url(resend)).build())
                .pollInterval(Duration.ofMillis(20));
        if (emailTestProvider) {
            // Postmark's own test token, sent to a server of its own: the test chain.
            email.testProvider(PostmarkProvider.builder("POSTMARK_API_TEST").baseUrl(url(postmarkSandbox)).build());
        }
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1"))
                .eventSink(events::add)
                .install(email.build())
                .install(SmsModule.builder()
                        .provider(TwilioProvider.builder(ACCOUNT_SID, "2".repeat(32)).baseUrl(url(twilio)).build())
                        .pollInterval(Duration.ofMillis(20)).build())
                .build();
        irisx.tenants().create(ACME, "Acme", Map.of());
        return irisx;
    }

    private static String url(MockWebServer server) {
        return "http://127.0.0.1:" + server.getPort();
    }

    private Tenant keyView(ApiKey.Mode mode) {
        String key = irisx.tenant(ACME).apiKeys().create("k", mode, Set.of(ApiScope.EMAIL_SEND, ApiScope.SMS_SEND),
                Optional.empty()).text().reveal();
        return irisx.apiKeys().authenticate(key).tenant();
    }

    private static EmailMessage.Builder mail() {
        return EmailMessage.builder().to("ada@example.com").subject("Your receipt").text("Thanks");
    }

    private static SmsMessage.Builder sms() {
        return SmsMessage.builder().to("+14155550123").body("Your code is 482913");
    }

    @Test
    void a_test_keys_email_and_sms_go_to_the_sandbox_and_no_live_provider_hears_of_them() throws Exception {
        runtime(false);
        Tenant test = keyView(ApiKey.Mode.TEST);
        // Even a PREPAID tenant with no credit: a test send is not billed.
        irisx.tenants().updateSettings(ACME, TenantSettings.builder().billingMode(BillingMode.PREPAID).build());

        MessageId emailId = EmailClient.of(test).send(mail().from("hello@acme.example").build());
        MessageId smsId = SmsClient.of(test).send(sms().from("+14155550100").build());

        Email email = awaitEmail(EmailClient.of(test), emailId, EmailStatus.DELIVERED);
        Sms text = awaitSms(SmsClient.of(test), smsId, SmsStatus.DELIVERED);
        assertThat(email.test()).isTrue();
        assertThat(email.provider()).contains("sandbox");
        assertThat(email.providerMessageId()).contains("sandbox-" + emailId.value());
        assertThat(text.test()).isTrue();
        assertThat(text.provider()).contains("sandbox");
        assertThat(text.providerMessageId()).contains("sandbox-" + smsId.value());
        assertThat(EmailClient.of(test).history(emailId)).extracting(change -> change.status())
                .containsExactly(EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED);

        for (EventType type : List.of(EventType.EMAIL_SENT, EventType.EMAIL_DELIVERED, EventType.SMS_SENT,
                EventType.SMS_DELIVERED)) {
            assertThat(events).filteredOn(event -> event.type() == type).singleElement()
                    .satisfies(event -> {
                        assertThat(data(event).path("test").asBoolean()).isTrue();
                        assertThat(event.test()).isTrue();
                    });
        }
        assertThat(postmark.getRequestCount()).isZero();
        assertThat(resend.getRequestCount()).isZero();
        assertThat(twilio.getRequestCount()).isZero();
        assertThat(irisx.tenant(ACME).usage().records(LocalDate.now(ZoneOffset.UTC).minusDays(1),
                LocalDate.now(ZoneOffset.UTC).plusDays(1), PageRequest.first(10)).items()).isEmpty();
        assertThat(irisx.tenant(ACME).credit().balance().reserved()).isZero();
    }

    @Test
    void a_test_send_goes_to_the_modules_test_provider_and_never_to_a_live_one() throws Exception {
        runtime(true);
        Tenant test = irisx.tenant(ACME).testMode();

        MessageId id = EmailClient.of(test).send(mail().from("hello@acme.example").build());

        Email email = awaitEmail(EmailClient.of(test), id, EmailStatus.SENT);
        assertThat(email.provider()).contains("postmark");
        assertThat(email.test()).isTrue();
        RecordedRequest request = postmarkSandbox.takeRequest();
        assertThat(request.getHeaders().get("X-Postmark-Server-Token")).isEqualTo("POSTMARK_API_TEST");
        assertThat(postmarkSandbox.getRequestCount()).isEqualTo(1);
        assertThat(postmark.getRequestCount()).isZero();
        assertThat(resend.getRequestCount()).isZero();
    }

    @Test
    void a_live_keys_email_and_sms_go_to_the_live_providers_and_are_metered() throws Exception {
        runtime(true);
        Tenant live = keyView(ApiKey.Mode.LIVE);

        MessageId emailId = EmailClient.of(live).send(mail().from("hello@acme.example").build());
        MessageId smsId = SmsClient.of(live).send(sms().from("+14155550100").build());

        assertThat(awaitEmail(EmailClient.of(live), emailId, EmailStatus.SENT).test()).isFalse();
        assertThat(awaitSms(SmsClient.of(live), smsId, SmsStatus.SENT).provider()).contains("twilio");
        assertThat(postmark.takeRequest().getTarget()).isEqualTo("/email");
        assertThat(twilio.takeRequest().getTarget()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID
                + "/Messages.json");
        assertThat(postmarkSandbox.getRequestCount()).isZero();
        assertThat(irisx.tenant(ACME).usage().records(LocalDate.now(ZoneOffset.UTC).minusDays(1),
                LocalDate.now(ZoneOffset.UTC).plusDays(1), PageRequest.first(10)).items())
                .extracting(record -> record.subject()).containsExactlyInAnyOrder(emailId.value(), smsId.value());
        assertThat(events).filteredOn(event -> event.type() == EventType.EMAIL_SENT).singleElement()
                .satisfies(event -> {
                    assertThat(data(event).has("test")).isFalse();
                    assertThat(event.test()).isFalse();
                });
    }

    @Test
    void sends_without_a_sender_take_the_tenants_default_ones() throws Exception {
        runtime(false);
        EmailClient email = EmailClient.of(irisx.tenant(ACME));
        SmsClient sms = SmsClient.of(irisx.tenant(ACME));
        assertThatThrownBy(() -> email.send(mail().build())).isInstanceOfSatisfying(IrisxValidationException.class,
                e -> assertThat(e.field()).isEqualTo("from"));
        assertThatThrownBy(() -> sms.send(sms().build())).isInstanceOfSatisfying(IrisxValidationException.class,
                e -> assertThat(e.field()).isEqualTo("from"));

        irisx.tenants().updateSettings(ACME, TenantSettings.builder().emailFrom("billing@acme.example", "Acme Billing")
                .smsFrom("+14155550100").build());
        MessageId emailId = email.send(mail().build());
        MessageId smsId = sms.send(sms().build());
        MessageId own = email.send(mail().from("ceo@acme.example").build());

        assertThat(email.get(emailId).from().address()).isEqualTo("billing@acme.example");
        assertThat(email.get(emailId).from().name()).isEqualTo("Acme Billing");
        assertThat(email.get(own).from().address()).isEqualTo("ceo@acme.example");
        assertThat(sms.get(smsId).from()).isEqualTo("+14155550100");
        awaitEmail(email, emailId, EmailStatus.SENT);
        awaitEmail(email, own, EmailStatus.SENT);
        awaitSms(sms, smsId, SmsStatus.SENT);
        List<String> froms = List.of(JSON.readTree(postmark.takeRequest().getBody().utf8()).path("From").asText(),
                JSON.readTree(postmark.takeRequest().getBody().utf8()).path("From").asText());
        assertThat(froms).containsExactlyInAnyOrder("\"Acme Billing\" <billing@acme.example>", "ceo@acme.example");
        assertThat(twilio.takeRequest().getBody().utf8()).contains("From=%2B14155550100");
    }

    @Test
    void the_tenants_stored_chain_wins_and_an_unregistered_name_is_refused() throws Exception {
        runtime(false);
        EmailClient email = EmailClient.of(irisx.tenant(ACME));
        assertThatThrownBy(() -> irisx.tenants().updateSettings(ACME, TenantSettings.builder()
                .providerChain(Channel.EMAIL, List.of("resend", "mailgun")).build()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("providerChain.email");
                    assertThat(e.getMessage()).contains("mailgun").contains("[postmark, resend]");
                });
        assertThatThrownBy(() -> irisx.tenants().updateSettings(ACME, TenantSettings.builder()
                .providerChain(Channel.SMS, List.of("vonage")).build()))
                .isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("providerChain.sms"));
        assertThat(irisx.tenants().settings(ACME).providerChains()).isEmpty();

        irisx.tenants().updateSettings(ACME, TenantSettings.builder()
                .providerChain(Channel.EMAIL, List.of("resend")).build());
        MessageId id = email.send(mail().from("hello@acme.example").build());

        assertThat(awaitEmail(email, id, EmailStatus.SENT).provider()).contains("resend");
        assertThat(resend.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer re_live_key");
        assertThat(postmark.getRequestCount()).isZero();
    }

    @Test
    void a_chain_changed_in_this_process_applies_to_the_next_delivery_at_once() throws Exception {
        runtime(false);
        EmailClient email = EmailClient.of(irisx.tenant(ACME));
        irisx.tenants().updateSettings(ACME, TenantSettings.builder()
                .providerChain(Channel.EMAIL, List.of("resend")).build());
        MessageId first = email.send(mail().from("hello@acme.example").build());
        assertThat(awaitEmail(email, first, EmailStatus.SENT).provider()).contains("resend");

        // The worker keeps the chain it just read; the change made here makes it read the new one.
        irisx.tenants().updateSettings(ACME, TenantSettings.builder()
                .providerChain(Channel.EMAIL, List.of("postmark")).build());
        MessageId second = email.send(mail().from("hello@acme.example").build());

        assertThat(awaitEmail(email, second, EmailStatus.SENT).provider()).contains("postmark");
        assertThat(resend.getRequestCount()).isEqualTo(1);
        assertThat(postmark.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_chain_changed_by_another_process_applies_within_the_cache_time() throws Exception {
        runtime(false);
        EmailClient email = EmailClient.of(irisx.tenant(ACME));
        irisx.tenants().updateSettings(ACME, TenantSettings.builder()
                .providerChain(Channel.EMAIL, List.of("resend")).build());
        MessageId first = email.send(mail().from("hello@acme.example").build());
        assertThat(awaitEmail(email, first, EmailStatus.SENT).provider()).contains("resend");

        try (Irisx other = Irisx.builder().dataSource(database.dataSource())
                .sealingKeys(SealingKeys.generate("k2"))
                .install(EmailModule.builder().sendOnly().build()).build()) {
            other.tenants().updateSettings(ACME, TenantSettings.builder()
                    .providerChain(Channel.EMAIL, List.of("postmark")).build());
        }

        // This process is not told: it follows once the chain it keeps expires (TenantChains.CACHE_SECONDS, 5 s).
        await().atMost(Duration.ofSeconds(5 + 10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            MessageId next = email.send(mail().from("hello@acme.example").build());
            return awaitEmail(email, next, EmailStatus.SENT).provider().orElseThrow().equals("postmark");
        });
    }

    @Test
    void a_stored_chain_this_process_cannot_follow_fails_the_email_with_a_clear_error() throws Exception {
        runtime(false);
        // Stored by a process that has Mailgun (a send-only one, say), read by this one, which has not.
        try (Irisx sendOnly = Irisx.builder().dataSource(database.dataSource())
                .sealingKeys(SealingKeys.generate("k2"))
                .install(EmailModule.builder().sendOnly().build()).build()) {
            sendOnly.tenants().updateSettings(ACME, TenantSettings.builder()
                    .providerChain(Channel.EMAIL, List.of("mailgun")).build());
        }
        EmailClient email = EmailClient.of(irisx.tenant(ACME));
        MessageId id = email.send(mail().from("hello@acme.example").build());

        Email failed = awaitEmail(email, id, EmailStatus.FAILED);
        assertThat(failed.lastError()).hasValueSatisfying(error -> assertThat(error).contains("mailgun")
                .contains("TenantSettings.providerChain").contains("[postmark, resend]"));
        assertThat(postmark.getRequestCount()).isZero();
        assertThat(resend.getRequestCount()).isZero();
    }

    @Test
    void a_stored_send_limit_holds_the_tenants_sends() {
        runtime(false);
        irisx.tenants().updateSettings(ACME, TenantSettings.builder()
                .sendLimit(Channel.EMAIL, Limit.of(1, Duration.ofHours(1)))
                .sendLimit(Channel.SMS, Limit.of(2, Duration.ofHours(1))).build());
        EmailClient email = EmailClient.of(irisx.tenant(ACME));
        SmsClient sms = SmsClient.of(irisx.tenant(ACME));

        email.send(mail().from("hello@acme.example").build());
        assertThatThrownBy(() -> email.send(mail().from("hello@acme.example").build()))
                .isInstanceOf(RateLimitedException.class);
        sms.send(sms().from("+14155550100").build());
        sms.send(sms().from("+14155550100").build());
        assertThatThrownBy(() -> sms.send(sms().from("+14155550100").build()))
                .isInstanceOf(RateLimitedException.class);
    }

    @Test
    void a_prepaid_billing_mode_in_the_settings_holds_live_sends_to_the_credit() {
        runtime(false);
        irisx.tenants().updateSettings(ACME, TenantSettings.builder().billingMode(BillingMode.PREPAID).build());
        assertThat(irisx.tenant(ACME).credit().billingMode()).isEqualTo(BillingMode.PREPAID);

        assertThatThrownBy(() -> EmailClient.of(irisx.tenant(ACME)).send(mail().from("hello@acme.example").build()))
                .isInstanceOf(InsufficientCreditException.class);
        assertThatThrownBy(() -> SmsClient.of(irisx.tenant(ACME)).send(sms().from("+14155550100").build()))
                .isInstanceOf(InsufficientCreditException.class);
        assertThat(EmailClient.of(irisx.tenant(ACME).testMode()).send(mail().from("hello@acme.example").build()))
                .isNotNull();

        irisx.tenants().updateSettings(ACME, irisx.tenants().settings(ACME).toBuilder()
                .billingMode(BillingMode.POSTPAID).build());
        assertThat(EmailClient.of(irisx.tenant(ACME)).send(mail().from("hello@acme.example").build())).isNotNull();
    }

    private static JsonNode data(Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Email awaitEmail(EmailClient client, MessageId id, EmailStatus status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.get(id).status() == status);
        return client.get(id);
    }

    private static Sms awaitSms(SmsClient client, MessageId id, SmsStatus status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.get(id).status() == status);
        return client.get(id);
    }

    /** Answers every request as its provider accepts a message. */
    private static final class Accepting extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getTarget();
            if (path.startsWith("/2010-04-01/")) {
                return json(201, """
                        {"account_sid": "%s", "api_version": "2010-04-01", "body": "Your code is 482913",
                         "date_created": "Thu, 24 Aug 2023 05:01:45 +0000", "date_sent": null,
                         "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000", "direction": "outbound-api",
                         "error_code": null, "error_message": null, "from": "+14155550100",
                         "messaging_service_sid": null, "num_media": "0", "num_segments": "1", "price": null,
                         "price_unit": null, "sid": "SM%s", "status": "queued", "to": "+14155550123",
                         "uri": "/2010-04-01/Accounts/%s/Messages/SM%s.json"}"""
                        .formatted(ACCOUNT_SID, "3".repeat(32), ACCOUNT_SID, "3".repeat(32)));
            }
            if (path.equals("/emails")) {
                return json(200, "{\"id\":\"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\"}");
            }
            return json(200, "{\"To\":\"ada@example.com\",\"SubmittedAt\":\"2027-03-01T12:00:00.0000000-05:00\","
                    + "\"MessageID\":\"b7bc2f4a-e38e-4336-af7d-e6c392c2f817\",\"ErrorCode\":0,\"Message\":\"OK\"}");
        }

        private static MockResponse json(int code, String body) {
            return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body)
                    .build();
        }
    }
}
