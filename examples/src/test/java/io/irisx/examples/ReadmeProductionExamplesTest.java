package io.irisx.examples;

import static io.irisx.examples.ReadmeExamplesTest.LOOPBACK_ALLOWED;
import static io.irisx.examples.ReadmeExamplesTest.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.health.Health;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.examples.readme.CoreSection;
import io.irisx.examples.readme.FrontDoorSection;
import io.irisx.examples.readme.JetStreamSection;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailFilter;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.queue.JetStreamOutbox;
import io.irisx.queue.TestNats;
import io.irisx.queue.process.NatsServerProcess;
import io.irisx.testkit.sms.LocalTwilio;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's blocks for production, each run as the README shows it: the front door and the irisx-core block on
 * the test PostgreSQL, and the JetStream blocks on NATS servers of the test's own (one for the front door, whose
 * default streams and consumers are not namespaced, three in a cluster for the three-replica outbox).
 */
class ReadmeProductionExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TenantId ACME = TenantId.of("acme");

    @Test
    @DisplayName("the front door: on PostgreSQL and JetStream, the email and the SMS are sent, both webhooks reach the"
            + " customer's receiver, and the one the block checks verifies")
    void frontDoor() throws Exception {
        SealingKeys sealingKeys = SealingKeys.generate("k1");
        try (NatsServerProcess nats = NatsServerProcess.start();
                Database host = TestDatabases.postgres();
                MockWebServer postmark = postmarkApi();
                LocalTwilio twilio = new LocalTwilio();
                CustomerReceiver receiver = CustomerReceiver.expecting(2, TIMEOUT)) {

            FrontDoorSection.frontDoor(host.dataSource(), sealingKeys, nats.url(), LOOPBACK_ALLOWED,
                    PostmarkProvider.builder("pm-server-token").baseUrl(postmark.url("/").toString()).build(),
                    twilio.provider(), receiver.url(), receiver);

            assertThat(receiver.wasRead()).as("the block read the webhook's headers and body to verify them").isTrue();
            RecordedRequest email = postmark.takeRequest(0, TimeUnit.SECONDS);
            assertThat(email.getUrl().encodedPath()).isEqualTo("/email");
            assertThat(email.getHeaders().get("X-Postmark-Server-Token")).isEqualTo("pm-server-token");
            assertThat(twilio.requests()).hasSize(1);
            try (Irisx irisx = queueOnly(host.dataSource(), sealingKeys)) {
                Tenant acme = irisx.tenant("acme");
                Email sent = EmailClient.of(acme).list(EmailFilter.all(), PageRequest.first(10)).items().get(0);
                assertThat(sent.status()).isEqualTo(EmailStatus.SENT);
                assertThat(sent.provider()).contains("postmark");
                Sms sms = SmsClient.of(acme).list(PageRequest.first(10)).items().get(0);
                assertThat(sms.status()).isEqualTo(SmsStatus.SENT);
                assertThat(webhooks(receiver.await(2))).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "email.sent", sent.id().value(), "sms.sent", sms.id().value()));
            }
        }
    }

    @Test
    @DisplayName("irisx-core in production: the runtime runs on the host's PostgreSQL with the environment's sealing"
            + " keys, and every table and index it creates there starts with irisx_")
    void coreProduction() throws Exception {
        try (Database host = TestDatabases.emptyPostgres();
                Irisx irisx = CoreSection.production(host.dataSource())) {
            assertThat(irisx.health().status()).isEqualTo(Health.Status.UP);
            assertThat(irisx.sealer().keys().primaryKeyId()).as("IRISX_SEALING_KEYS, set by the examples' pom")
                    .isEqualTo("readme-test");
            String sealed = irisx.sealer().seal("sk_live_provider_key", "tenant:acme/provider");
            assertThat(sealed).doesNotContain("sk_live_provider_key");
            assertThat(irisx.sealer().open(sealed, "tenant:acme/provider")).isEqualTo("sk_live_provider_key");
            List<String> names = namesInSchema(host.dataSource());
            assertThat(names).contains("irisx_outbox", "irisx_schema_history_core")
                    .allSatisfy(name -> assertThat(name).startsWith("irisx_"));
        }
    }

    @Test
    @SuppressWarnings("try") // the worker is only closed: it handles the work on its own thread
    @DisplayName("the JetStream outbox: on PostgreSQL and a three-node cluster, published work is relayed to a stream"
            + " kept in three replicas and handled by a worker")
    void jetStreamOutbox() throws Exception {
        try (NatsCluster cluster = NatsCluster.start();
                Database host = TestDatabases.postgres();
                Irisx irisx = JetStreamSection.jetStreamOutbox(host.dataSource(), SealingKeys.generate("k1"),
                        cluster.url())) {
            assertThat(irisx.outbox()).isInstanceOf(JetStreamOutbox.class);
            BlockingQueue<MessageId> handled = new LinkedBlockingQueue<>();
            MessageId id = irisx.outbox().publish(Envelope.of(ACME, Channel.EMAIL, "{\"to\":\"ada@example.com\"}"));
            try (Subscription worker = irisx.outbox().consume(Channel.EMAIL, delivery -> {
                handled.add(delivery.envelope().id());
                return Outcome.done();
            }, ConsumeOptions.defaults())) {
                assertThat(handled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(id);
            }
            try (io.nats.client.Connection nats = TestNats.connect(cluster.url())) {
                StreamInfo stream = nats.jetStreamManagement().getStreamInfo("EMAIL");
                assertThat(stream.getConfiguration().getReplicas()).isEqualTo(3);
                assertThat(stream.getClusterInfo().getReplicas()).hasSize(2);
            }
            assertThat(irisx.health().status()).isEqualTo(Health.Status.UP);
        }
    }

    /** Postmark's email API on loopback, accepting every email (postmarkapp.com/developer/api/email-api). */
    private static MockWebServer postmarkApi() throws IOException {
        MockWebServer postmark = new MockWebServer();
        postmark.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .body("{\"To\":\"ada@example.com\",\"SubmittedAt\":\"2030-01-01T00:00:00Z\","
                                + "\"MessageID\":\"b7bc2f4a-e38e-4336-af7d-e6c392c2f817\",\"ErrorCode\":0,"
                                + "\"Message\":\"OK\"}")
                        .build();
            }
        });
        postmark.start(InetAddress.getByName("127.0.0.1"), 0);
        return postmark;
    }

    /** The runtime again on the same database, queueing only, to read what the block stored. */
    private static Irisx queueOnly(DataSource dataSource, SealingKeys sealingKeys) {
        return Irisx.builder().dataSource(dataSource).sealingKeys(sealingKeys)
                .install(EmailModule.builder().sendOnly().build())
                .install(SmsModule.builder().sendOnly().build())
                .build();
    }

    /** Each webhook's event type and the message id in its data. */
    private static Map<String, String> webhooks(List<RecordedRequest> requests) throws IOException {
        Map<String, String> webhooks = new HashMap<>();
        for (RecordedRequest request : requests) {
            JsonNode payload = JSON.readTree(request.getBody().utf8());
            webhooks.put(payload.path("type").asText(), payload.path("data").path("messageId").asText());
        }
        return webhooks;
    }

    /** The tables and indexes in the data source's current schema. */
    private static List<String> namesInSchema(DataSource dataSource) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() UNION ALL SELECT indexname FROM pg_indexes"
                        + " WHERE schemaname = current_schema()")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
