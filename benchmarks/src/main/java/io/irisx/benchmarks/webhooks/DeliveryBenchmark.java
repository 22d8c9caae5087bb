package io.irisx.benchmarks.webhooks;

import static io.irisx.benchmarks.Programs.median;
import static io.irisx.benchmarks.Programs.natsUrl;
import static io.irisx.benchmarks.Programs.parallel;
import static io.irisx.benchmarks.Programs.parts;
import static io.irisx.benchmarks.Programs.percentile;
import static io.irisx.benchmarks.Programs.perSecond;
import static io.irisx.benchmarks.Programs.postgresUrl;
import static io.irisx.benchmarks.Programs.print;
import static io.irisx.benchmarks.Programs.printLatencies;

import io.irisx.benchmarks.Programs;
import io.irisx.benchmarks.Report;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.signing.WebhookHeaders;
import io.irisx.webhooks.signing.WebhookSigner;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The end-to-end part of the {@code webhooks} suite, run as a program: webhook deliveries from an emitted event to a
 * local receiver, through the {@link WebhooksModule}'s event sink, the {@link JetStreamOutbox} on PostgreSQL and NATS,
 * and the module's delivery engine, beside the limit of the HTTP path alone: the same bodies signed with
 * {@link WebhookSigner} and posted by a plain OkHttp client to the same receiver. Bodies are about 1 KiB. Prints one
 * {@code bench:} line per comparison (see {@link Report#line}): each throughput is the median of three measured rounds
 * of 5,000 events from four threads, after warm-up rounds (see Programs#median); each latency a percentile over 300
 * events sent one at a time, after 50 warm-up events. Runs in a fresh PostgreSQL schema and namespaced streams, both
 * deleted at the end.
 */
public final class DeliveryBenchmark {

    private static final TenantId TENANT = TenantId.of("bench");
    private static final Clock CLOCK = Clock.systemUTC();
    private static final int THREADS = 4;
    private static final int EVENTS = 5000;
    private static final int LATENCY_WARM_UP = 50;
    private static final int LATENCY_EVENTS = 300;
    private static final int BODY_BYTES = 1024;
    private static final String PADDING = padding();
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Set<String> PARTS = Set.of("throughput", "latency");
    private static final String NAME = "(event -> signed POST received, JetStream+PostgreSQL)";
    private static final String PEER = "WebhookSigner + plain OkHttp POST, same receiver";

    private final String natsUrl;
    private final String postgresUrl;
    private final Set<String> parts;

    private DeliveryBenchmark(String natsUrl, String postgresUrl, Set<String> parts) {
        this.natsUrl = natsUrl;
        this.postgresUrl = postgresUrl;
        this.parts = parts;
    }

    /** Runs the benchmark; arguments, if any, name the parts to run: {@code throughput}, {@code latency}. */
    public static void main(String[] args) throws Exception {
        new DeliveryBenchmark(natsUrl(), postgresUrl(), parts(args, PARTS)).run();
    }

    private void run() throws Exception {
        try (Receiver receiver = Receiver.start(32)) {
            WebhooksModule webhooks = WebhooksModule.builder()
                    .ssrfPolicy(SsrfPolicy.builder().allow("127.0.0.0/8").build()).build();
            Programs.onJetStreamAndPostgres(natsUrl, postgresUrl, 40, List.of(webhooks),
                    irisx -> measure(irisx, receiver));
        }
    }

    /** Measures on {@code irisx}, whose event sink fans each event out to the endpoint its webhooks module holds. */
    private void measure(Irisx irisx, Receiver receiver) throws Exception {
        CreatedEndpoint endpoint = WebhookEndpoints.of(irisx.tenant(TENANT)).create(
                EndpointSpec.builder(receiver.url()).eventTypes(EventType.EMAIL_SENT.wireName()).build());
        EventSink sink = irisx.events();
        OkHttpClient http = new OkHttpClient();
        try {
            Peer peer = new Peer(http, receiver, WebhookSigner.of(endpoint.secret()));
            if (parts.contains("throughput")) {
                throughput(sink, receiver, peer);
            }
            if (parts.contains("latency")) {
                latency(sink, irisx.database(), receiver, peer);
            }
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    // ---- Throughput: events -> deliveries received per second -------------------------------------------------

    private static void throughput(EventSink sink, Receiver receiver, Peer peer) throws Exception {
        double ours = median(round -> {
            receiver.reset();
            long start = System.nanoTime();
            parallel(THREADS, EVENTS, i -> sink.emit(event()));
            receiver.await(EVENTS, WAIT);
            return perSecond(EVENTS, System.nanoTime() - start);
        });
        double limit = median(round -> {
            receiver.reset();
            long start = System.nanoTime();
            parallel(THREADS, EVENTS, i -> peer.post(MessageId.generate().value(), body(event())));
            receiver.await(EVENTS, WAIT);
            return perSecond(EVENTS, System.nanoTime() - start);
        });
        print("webhooks.end-to-end " + NAME, ours, limit, "deliveries/s", PEER + ", " + THREADS + " threads", true);
    }

    // ---- Latency: one event at a time, from emit to arrival ---------------------------------------------------

    private static void latency(EventSink sink, Database database, Receiver receiver, Peer peer)
            throws Exception {
        long[] ours = oursLatencies(sink, database, receiver);
        long[] limit = peerLatencies(peer, receiver);
        printLatencies("webhooks", NAME, ours, limit, PEER + ", one at a time");
    }

    /** From emit to arrival, each event emitted once the one before it has arrived. */
    private static long[] oursLatencies(EventSink sink, Database database, Receiver receiver)
            throws Exception {
        int total = LATENCY_WARM_UP + LATENCY_EVENTS;
        receiver.reset();
        List<String> eventIds = new ArrayList<>(total);
        long[] starts = new long[total];
        for (int i = 0; i < total; i++) {
            Event event = event();
            eventIds.add(event.id().value());
            starts[i] = System.nanoTime();
            sink.emit(event);
            receiver.await(i + 1, WAIT);
        }
        // The webhook-id of each delivery is its message's id, which the emitter does not learn: look them up after.
        Map<String, String> messageOfEvent = messagesOf(database, eventIds);
        long[] latencies = new long[LATENCY_EVENTS];
        for (int i = 0; i < LATENCY_EVENTS; i++) {
            int at = LATENCY_WARM_UP + i;
            latencies[i] = receiver.arrivalOf(messageOfEvent.get(eventIds.get(at))) - starts[at];
        }
        return latencies;
    }

    /** From signing to arrival, one POST at a time. */
    private static long[] peerLatencies(Peer peer, Receiver receiver) throws Exception {
        receiver.reset();
        long[] latencies = new long[LATENCY_EVENTS];
        for (int i = 0; i < LATENCY_WARM_UP + LATENCY_EVENTS; i++) {
            String id = MessageId.generate().value();
            byte[] body = body(event());
            long start = System.nanoTime();
            peer.post(id, body);
            if (i >= LATENCY_WARM_UP) {
                latencies[i - LATENCY_WARM_UP] = receiver.arrivalOf(id) - start;
            }
        }
        return latencies;
    }

    private static Map<String, String> messagesOf(Database database, List<String> eventIds) {
        return database.withConnection(connection -> {
            Map<String, String> messages = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT event_id, id FROM irisx_webhook_messages WHERE tenant_id = ? AND event_id = ANY (?)")) {
                select.setString(1, TENANT.value());
                select.setArray(2, connection.createArrayOf("varchar", eventIds.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        messages.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
            return messages;
        });
    }

    // ---- The peer: sign and POST, nothing else ----------------------------------------------------------------

    /** The HTTP path alone: sign a body with the endpoint's secret and POST it, synchronously. */
    private record Peer(OkHttpClient http, Receiver receiver, WebhookSigner signer) {

        void post(String id, byte[] body) throws IOException {
            WebhookHeaders signed = signer.sign(id, CLOCK.instant(), body);
            Request request = new Request.Builder().url(receiver.url()).post(RequestBody.create(body, JSON))
                    .header(WebhookHeaders.ID, signed.id())
                    .header(WebhookHeaders.TIMESTAMP, Long.toString(signed.timestamp()))
                    .header(WebhookHeaders.SIGNATURE, signed.signature())
                    .build();
            try (Response response = http.newCall(request).execute()) {
                if (response.code() != 204) {
                    throw new IOException("the receiver answered " + response.code());
                }
            }
        }
    }

    // ---- Events and bodies --------------------------------------------------------------------------------------

    private static Event event() {
        return event(PADDING);
    }

    private static Event event(String padding) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", MessageId.generate().value());
        data.put("to", "customer@example.com");
        data.put("from", "billing@example.com");
        data.put("subject", "Your invoice is ready");
        data.put("preview", padding);
        return Event.of(EventType.EMAIL_SENT, TENANT, CLOCK, data);
    }

    /** The body the engine posts for {@code event}: {@code {"type":…,"timestamp":…,"data":…}}. */
    private static byte[] body(Event event) {
        return ("{\"type\":\"" + event.type().wireName() + "\",\"timestamp\":\"" + event.occurredAt()
                + "\",\"data\":" + event.data() + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String padding() {
        return "x".repeat(Math.max(0, BODY_BYTES - body(event("")).length));
    }

    // ---- Helpers ------------------------------------------------------------------------------------------------

}
