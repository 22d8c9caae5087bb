package io.irisx.messaging.sms;

import io.irisx.core.callback.CallbackRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.NotFoundException;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.sms.twilio.TwilioCallbacks;
import io.irisx.testing.TwilioSignatures;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two tenants on one SMS store: every tenant-scoped API reaches the caller's own messages and opt-outs only. */
@DisplayName("SMS tenant isolation")
class SmsTenantIsolationTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String STATUS_URL = "https://hooks.example/twilio/status";
    private static final String SID = "SM" + "0123456789abcdef".repeat(2);
    private static final String NUMBER = "+447400123456";

    private MessagingFixture fixture;
    private SmsClient acme;
    private SmsClient globex;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        acme = fixture.smsClient("acme");
        globex = fixture.smsClient("globex");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private MessageId sent(SmsClient client, String sid) {
        MessageId id = client.send(SmsMessage.builder().to(NUMBER).from("+447400654321").body("Hi").build());
        assertThat(fixture.smsStore.markSent(client.get(id), "twilio", sid, "queued", 1, false, "accepted")).isTrue();
        return id;
    }

    private TwilioCallbacks callbacks(SmsClient client) {
        return TwilioCallbacks.builder(fixture.irisx.tenant(client.tenant()), TOKEN).statusUrl(STATUS_URL).build();
    }

    private static CallbackRequest delivered(String sid) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("MessageStatus", "delivered");
        return TwilioSignatures.signed(TOKEN, STATUS_URL, params).as(CallbackRequest::post);
    }

    @Test
    @DisplayName("another tenant can neither get, list, nor read the history or the sent segments of a message")
    void messages() {
        MessageId id = sent(acme, SID);
        Instant from = MessagingFixture.START.minusSeconds(60);
        Instant to = MessagingFixture.START.plusSeconds(60);

        assertThatThrownBy(() -> globex.get(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.history(id)).isInstanceOf(NotFoundException.class);
        assertThat(globex.list(PageRequest.first(500)).items()).isEmpty();
        assertThat(globex.segmentsSent(from, to)).isZero();

        assertThat(acme.get(id).tenant()).isEqualTo(acme.tenant());
        assertThat(acme.list(PageRequest.first(500)).items()).extracting(Sms::id).containsExactly(id);
        assertThat(acme.segmentsSent(from, to)).isEqualTo(1);
    }

    @Test
    @DisplayName("another tenant sees none of the messages a tenant's number received")
    void inbound() {
        PhoneNumber sender = PhoneNumber.of(NUMBER);
        PhoneNumber number = PhoneNumber.of("+447400654321");
        assertThat(fixture.smsStore.receive(acme.tenant(), "twilio", SID, sender, number, "Hello", List.of())).isPresent();

        assertThat(globex.inbound(PageRequest.first(500)).items()).isEmpty();
        assertThat(acme.inbound(PageRequest.first(500)).items()).hasSize(1);
        // The same provider id is the other tenant's own message.
        assertThat(fixture.smsStore.receive(globex.tenant(), "twilio", SID, sender, number, "Hi", List.of())).isPresent();
        assertThat(globex.inbound(PageRequest.first(500)).items()).singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("Hi"));
    }

    @Test
    @DisplayName("each tenant's opt-out list is its own: another tenant can neither read nor change it")
    void optOuts() {
        assertThat(acme.optOut(NUMBER, "STOP")).isTrue();

        assertThat(globex.isOptedOut(NUMBER)).isFalse();
        assertThat(globex.optIn(NUMBER, "START")).isFalse();
        assertThat(acme.isOptedOut(NUMBER)).isTrue();

        assertThat(globex.optOut(NUMBER, "STOP")).isTrue();
        assertThat(acme.optIn(NUMBER, "START")).isTrue();
        assertThat(globex.isOptedOut(NUMBER)).isTrue();
        assertThat(acme.isOptedOut(NUMBER)).isFalse();
    }

    @Test
    @DisplayName("a status callback changes only the addressed tenant's message, though both carry its SID")
    void statusCallbacks() {
        MessageId ours = sent(acme, SID);
        MessageId theirs = sent(globex, SID);

        assertThat(callbacks(globex).status(delivered(SID)).status()).isEqualTo(204);

        assertThat(globex.get(theirs).status()).isEqualTo(SmsStatus.DELIVERED);
        assertThat(acme.get(ours).status()).isEqualTo(SmsStatus.SENT);
        assertThat(acme.history(ours)).hasSize(2);
        assertThat(fixture.events(EventType.SMS_DELIVERED)).extracting(Event::tenant).containsExactly(globex.tenant());

        String onlyAcmes = "SM" + "fedcba9876543210".repeat(2);
        MessageId another = sent(acme, onlyAcmes);
        assertThat(callbacks(globex).status(delivered(onlyAcmes)).status()).isEqualTo(404);
        assertThat(acme.get(another).status()).isEqualTo(SmsStatus.SENT);
        assertThat(fixture.smsStore.record(TenantId.of("initech"), new SmsReport("twilio", SID, SmsStatus.FAILED,
                "failed", Optional.empty(), MessagingFixture.START))).isEmpty();
        assertThat(acme.get(ours).status()).isEqualTo(SmsStatus.SENT);
    }
}
