package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.twilio.TwilioProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The sandbox's DELIVERED report is written in the transaction that marks a test message SENT, on each database: a
 * host event sink that fails the first time it takes a {@code *.delivered} event rolls back the SENT status with it,
 * the message is tried again, and it ends DELIVERED with one SENT and one DELIVERED in its history and one of each
 * event taken. The live providers (Postmark and Twilio, on local servers) must hear nothing: test sends go to the
 * sandbox.
 */
@OnEachDialect
class SandboxDeliveredTest {

    private static final TenantId ACME = TenantId.of("acme");

    @Parameter
    Database.Dialect dialect;
    private final MockWebServer postmark = new MockWebServer();
    private final MockWebServer twilio = new MockWebServer();
    private final List<Event> taken = new CopyOnWriteArrayList<>();
    private final Set<EventType> failedOnce = ConcurrentHashMap.newKeySet();
    private Database database;
    private Irisx irisx;

    @BeforeEach
    void start() throws IOException {
        for (MockWebServer server : List.of(postmark, twilio)) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        }
        database = TestDatabases.of(dialect);
        // Fails the first delivered event of each channel, inside the emitter's transaction, as a broken sink would.
        EventSink failingOnce = event -> {
            if ((event.type() == EventType.EMAIL_DELIVERED || event.type() == EventType.SMS_DELIVERED)
                    && failedOnce.add(event.type())) {
                throw new IllegalStateException("injected failure taking " + event.type());
            }
            taken.add(event);
        };
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1"))
                .eventSink(failingOnce)
                .install(EmailModule.builder()
                        .provider(PostmarkProvider.builder("pm-live-token")
                                .baseUrl("http://127.0.0.1:" + postmark.getPort()).build())
                        .pollInterval(Duration.ofMillis(20)).build())
                .install(SmsModule.builder()
                        .provider(TwilioProvider.builder("AC" + "1".repeat(32), "2".repeat(32))
                                .baseUrl("http://127.0.0.1:" + twilio.getPort()).build())
                        .pollInterval(Duration.ofMillis(20)).build())
                .build();
        irisx.tenants().create(ACME, "Acme", Map.of());
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
        postmark.close();
        twilio.close();
    }

    @Test
    void a_failed_delivered_report_rolls_back_the_sent_status_and_the_retry_writes_both() {
        Tenant test = irisx.tenant(ACME).testMode();
        EmailClient email = EmailClient.of(test);
        SmsClient sms = SmsClient.of(test);

        MessageId emailId = email.send(EmailMessage.builder().from("hello@acme.example").to("ada@example.com")
                .subject("Your receipt").text("Thanks").build());
        MessageId smsId = sms.send(SmsMessage.builder().from("+14155550100").to("+14155550123")
                .body("Your code is 482913").build());

        await().atMost(Duration.ofSeconds(30)).until(() -> email.get(emailId).status() == EmailStatus.DELIVERED
                && sms.get(smsId).status() == SmsStatus.DELIVERED);
        assertThat(failedOnce).containsExactlyInAnyOrder(EventType.EMAIL_DELIVERED, EventType.SMS_DELIVERED);
        assertThat(email.history(emailId)).extracting(change -> change.status())
                .containsExactly(EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED);
        assertThat(sms.history(smsId)).extracting(change -> change.status())
                .containsExactly(SmsStatus.QUEUED, SmsStatus.SENT, SmsStatus.DELIVERED);
        assertThat(email.get(emailId).attempts()).isEqualTo(2);
        assertThat(sms.get(smsId).attempts()).isEqualTo(2);
        // The sink took each try's SENT (the first one's was rolled back in the database, not in this list), and the
        // DELIVERED only of the try that committed.
        for (EventType type : List.of(EventType.EMAIL_SENT, EventType.SMS_SENT)) {
            assertThat(taken).filteredOn(event -> event.type() == type && event.test()).as("%s taken", type)
                    .hasSize(2);
        }
        for (EventType type : List.of(EventType.EMAIL_DELIVERED, EventType.SMS_DELIVERED)) {
            assertThat(taken).filteredOn(event -> event.type() == type && event.test()).as("%s taken", type)
                    .hasSize(1);
        }
        assertThat(postmark.getRequestCount()).isZero();
        assertThat(twilio.getRequestCount()).isZero();
    }
}
