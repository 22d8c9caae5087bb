package io.irisx.benchmarks.sms;

import static io.irisx.benchmarks.Programs.analyze;
import static io.irisx.benchmarks.Programs.awaitSent;
import static io.irisx.benchmarks.Programs.latencies;
import static io.irisx.benchmarks.Programs.median;
import static io.irisx.benchmarks.Programs.natsUrl;
import static io.irisx.benchmarks.Programs.onEmbeddedDefaults;
import static io.irisx.benchmarks.Programs.onJetStreamAndPostgres;
import static io.irisx.benchmarks.Programs.parallel;
import static io.irisx.benchmarks.Programs.parts;
import static io.irisx.benchmarks.Programs.perSecond;
import static io.irisx.benchmarks.Programs.postgresUrl;
import static io.irisx.benchmarks.Programs.print;
import static io.irisx.benchmarks.Programs.printLatencies;
import static io.irisx.benchmarks.Programs.truncate;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.irisx.benchmarks.Report;
import io.irisx.core.Irisx;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.twilio.TwilioProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.io.CloseMode;

/**
 * The end-to-end part of the {@code sms} suite, run as a program: messages from {@link SmsClient#send} to SENT,
 * queued in the send's transaction, relayed by the outbox, and sent by the {@link SmsModule}'s sender through the
 * {@link TwilioProvider} to a local server speaking Twilio's Messages API ({@link TwilioServer}), beside the peer:
 * the Twilio SDK called directly, {@code Message.creator(to, from, body).create(client)} in a loop on as many threads
 * as the sender sends on, against the same server. Bodies are 160 GSM-7 characters: one full segment.
 *
 * <p>The peer's {@link TwilioRestClient} runs on the SDK's own HTTP client ({@link NetworkHttpClient}, Apache
 * HttpClient 5) with the SDK's default pool (20 connections per route, 100 in all), its connections routed to the
 * local server as the provider routes its own: the provider does not expose its client, so the benchmark builds the
 * SDK client the same way. Both therefore send the bytes the SDK makes for {@code api.twilio.com}.
 *
 * <p>Two parts: {@code jetstream}, on the JetStream outbox with PostgreSQL (the production setup), and
 * {@code embedded}, on the runtime's defaults (the JDBC outbox on an H2 file database). Each throughput is the median
 * of three measured rounds of 3,000 messages sent from four threads, after warm-up rounds (see Programs#median); a
 * round ends when the server has accepted every message and the database holds every one as SENT. The tables are
 * truncated between rounds. The {@code jetstream} part also prints the latency from send to SENT observed, percentiles
 * over 300 messages sent one at a time after 50 warm-up messages, beside one SDK call's. Prints one {@code bench:} line
 * per comparison (see {@link Report#line}). Runs in a fresh PostgreSQL schema and namespaced streams, and a temporary
 * H2 directory, all deleted at the end.
 */
public final class SendBenchmark {

    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String AUTH_TOKEN = "fedcba9876543210fedcba9876543210";
    private static final int THREADS = 4;
    /**
     * The sender's concurrency, and the peer's threads: as in the email suite, each handler spends most of its time
     * waiting on the database (claim, read, status update, done). Both HTTP clients hold at most 20 connections to
     * the server, so a few of the 32 wait for a connection on either side.
     */
    private static final int CONCURRENCY = 32;
    private static final int MESSAGES = 3000;
    private static final int LATENCY_WARM_UP = 50;
    private static final int LATENCY_MESSAGES = 300;
    private static final String FROM = "+447400123456";
    private static final String TO = "+447400654321";
    private static final String BODY = body(160);
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Set<String> PARTS = Set.of("jetstream", "embedded");
    private static final String[] TABLES = {"irisx_sms_messages", "irisx_sms_status_history", "irisx_outbox",
            "irisx_outbox_unpublished"};

    private final String natsUrl;
    private final String postgresUrl;
    private final Set<String> parts;

    private SendBenchmark(String natsUrl, String postgresUrl, Set<String> parts) {
        this.natsUrl = natsUrl;
        this.postgresUrl = postgresUrl;
        this.parts = parts;
    }

    /** Runs the benchmark; arguments, if any, name the parts to run: {@code jetstream}, {@code embedded}. */
    public static void main(String[] args) throws Exception {
        new SendBenchmark(natsUrl(), postgresUrl(), parts(args, PARTS)).run();
    }

    private void run() throws Exception {
        try (TwilioServer server = TwilioServer.start(ACCOUNT_SID, AUTH_TOKEN, 16)) {
            if (parts.contains("jetstream")) {
                jetStreamPart(server);
            }
            if (parts.contains("embedded")) {
                embeddedPart(server);
            }
        }
    }

    private void jetStreamPart(TwilioServer server) throws Exception {
        onJetStreamAndPostgres(natsUrl, postgresUrl, 40, List.of(module(server)),
                irisx -> measure(irisx, server, "jetstream+postgres", true));
    }

    private void embeddedPart(TwilioServer server) throws Exception {
        onEmbeddedDefaults("irisx-bench-sms", List.of(module(server)),
                irisx -> measure(irisx, server, "embedded jdbc+h2", false));
    }

    /** The SMS channel sending through Twilio's API at {@code server}; the runtime closes the provider. */
    private static SmsModule module(TwilioServer server) {
        return SmsModule.builder().defaultRegion("GB").concurrency(CONCURRENCY)
                .provider(TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).baseUrl(server.baseUrl())
                        .timeout(Duration.ofSeconds(10)).build())
                .build();
    }

    private static void measure(Irisx irisx, TwilioServer server, String name, boolean latency) throws Exception {
        SmsClient client = SmsClient.of(irisx.tenant("bench"));
        PoolingHttpClientConnectionManager connections = sdkConnections();
        TwilioRestClient sdk = sdkClient(server.baseUrl(), connections);
        try {
            Database database = irisx.database();
            double ours = median(round -> {
                if (round == 1) {
                    analyze(database);
                }
                truncate(database, TABLES);
                server.reset();
                long start = System.nanoTime();
                parallel(THREADS, MESSAGES, i -> client.send(message()));
                server.await(MESSAGES, WAIT);
                awaitSent(database, "irisx_sms_messages", MESSAGES, WAIT);
                long nanos = System.nanoTime() - start;
                server.checkAccepted(MESSAGES);
                return perSecond(MESSAGES, nanos);
            });
            double peer = median(round -> {
                server.reset();
                double rate = parallel(CONCURRENCY, MESSAGES, i -> sdkSend(sdk));
                server.checkAccepted(MESSAGES);
                return rate;
            });
            print("sms.end-to-end " + name + " (send -> Twilio API accepted -> SENT)", ours, peer, "sms/s",
                    "Twilio SDK Message.creator(..).create in a loop, same server, " + CONCURRENCY
                            + " threads; sender concurrency " + CONCURRENCY + ", " + THREADS + " sending threads",
                    true);
            if (latency) {
                latency(client, database, server, sdk, name);
            }
        } finally {
            connections.close(CloseMode.GRACEFUL);
        }
    }

    // ---- Latency: one message at a time, from send to SENT observed -------------------------------------------

    private static void latency(SmsClient client, Database database, TwilioServer server, TwilioRestClient sdk,
            String name) throws Exception {
        truncate(database, TABLES);
        server.reset();
        long[] ours = latencies(LATENCY_WARM_UP, LATENCY_MESSAGES, i -> {
            MessageId id = client.send(message());
            server.await(i + 1, WAIT);
            // The status is stored just after the provider answers: look for it until it is there.
            while (client.get(id).status() != SmsStatus.SENT) {
                LockSupport.parkNanos(50_000);
            }
        });
        long[] peer = latencies(LATENCY_WARM_UP, LATENCY_MESSAGES, i -> sdkSend(sdk));
        printLatencies("sms", name + " (send -> SENT observed)", ours, peer,
                "one Twilio SDK Message.creator(..).create, same server, one at a time");
    }

    // ---- Messages and the peer ----------------------------------------------------------------------------------

    private static SmsMessage message() {
        return SmsMessage.builder().to(TO).from(FROM).body(BODY).build();
    }

    /** One message sent as an application calling the SDK itself would send it. */
    private static void sdkSend(TwilioRestClient sdk) {
        Message message = Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), BODY).create(sdk);
        if (message.getSid() == null || !message.getSid().startsWith("SM")) {
            throw new IllegalStateException("the server's answer has no message SID: " + message);
        }
    }

    /** The SDK's default pool: {@code new NetworkHttpClient()} sets 20 connections per route and 100 in all. */
    private static PoolingHttpClientConnectionManager sdkConnections() {
        return PoolingHttpClientConnectionManagerBuilder.create().setMaxConnPerRoute(20).setMaxConnTotal(100).build();
    }

    /**
     * The SDK's client on the SDK's HTTP client, its connections routed to {@code baseUrl} as the provider routes
     * them: the requests stay those for {@code https://api.twilio.com}, only the TCP connection goes elsewhere.
     */
    private static TwilioRestClient sdkClient(String baseUrl, PoolingHttpClientConnectionManager connections) {
        URI uri = URI.create(baseUrl);
        HttpRoute route = new HttpRoute(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()));
        HttpClientBuilder http = HttpClientBuilder.create()
                .useSystemProperties()
                .setConnectionManager(connections)
                .setRoutePlanner((host, context) -> route);
        return new TwilioRestClient.Builder(ACCOUNT_SID, AUTH_TOKEN).httpClient(new NetworkHttpClient(http)).build();
    }

    /** {@code length} characters of GSM-7 text: no character outside the basic set, none from its extension. */
    private static String body(int length) {
        String line = "Your Acme code is 483920. It expires in 10 minutes. Do not share it with anyone, "
                + "not even Acme staff. Reply STOP to opt out, HELP for help. ";
        return line.repeat(length / line.length() + 1).substring(0, length);
    }
}
