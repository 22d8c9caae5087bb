package io.irisx.benchmarks.sms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.irisx.benchmarks.Arrivals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local Twilio of the SMS send benchmark: the JDK's HTTP server on 127.0.0.1 answering
 * {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} as Twilio's Messages API does
 * (twilio.com/docs/messaging/api/message-resource#create-a-message-resource), at once: with the account's Basic
 * authorization, 201 and the new message's JSON ({@code "sid":"SM…"}, {@code "status":"queued"}, {@code To},
 * {@code From} and {@code Body} read back from the form) and a {@code Twilio-Request-Id}; with any other, 401 and
 * Twilio's error 20003; on another path or method, 404 and error 20404. Counts the messages it accepted. Thread-safe.
 */
final class TwilioServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_PREFIX = "/2010-04-01/Accounts/";
    /** Twilio's dates, as in {@code "date_created": "Thu, 24 Aug 2023 05:01:45 +0000"}. */
    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    static {
        // The JDK's server writes the headers and the body of an answer apart; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK of the headers, some 40 ms: no real provider answers that slowly.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final String accountSid;
    private final String messagesPath;
    private final String authorization;
    private final Arrivals accepted = new Arrivals("messages");

    private TwilioServer(HttpServer server, ExecutorService threads, String accountSid, String authToken) {
        this.server = server;
        this.threads = threads;
        this.accountSid = accountSid;
        this.messagesPath = API_PREFIX + accountSid + "/Messages.json";
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A server on a free port of 127.0.0.1 for the account {@code accountSid} with {@code authToken}, handling
     * requests on {@code threads} threads.
     */
    static TwilioServer start(String accountSid, String authToken, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        TwilioServer twilio = new TwilioServer(server, pool, accountSid, authToken);
        server.createContext("/", twilio::handle);
        server.setExecutor(pool);
        server.start();
        return twilio;
    }

    /** Where to connect instead of {@code https://api.twilio.com}: scheme, host and port, no path. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String path = exchange.getRequestURI().getRawPath();
        if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith(API_PREFIX)) {
            notFound(exchange, path);
            return;
        }
        // Twilio authenticates before it looks for the account in the path.
        if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "{\"code\":20003,\"message\":\"Authenticate\",\"more_info\":"
                    + "\"https://www.twilio.com/docs/errors/20003\",\"status\":401}");
            return;
        }
        if (!path.equals(messagesPath)) {
            notFound(exchange, path);
            return;
        }
        Map<String, String> form = form(body);
        String sid = "SM" + hex32();
        String now = RFC_2822.format(ZonedDateTime.now(ZoneOffset.UTC));
        String message = "{\"account_sid\":\"" + accountSid + "\",\"api_version\":\"2010-04-01\","
                + "\"body\":" + JSON.writeValueAsString(form.getOrDefault("Body", ""))
                + ",\"date_created\":\"" + now + "\",\"date_sent\":null,\"date_updated\":\"" + now + "\","
                + "\"direction\":\"outbound-api\",\"error_code\":null,\"error_message\":null,"
                + "\"from\":" + JSON.writeValueAsString(form.getOrDefault("From", ""))
                + ",\"messaging_service_sid\":null,\"num_media\":\"0\",\"num_segments\":\"1\",\"price\":null,"
                + "\"price_unit\":\"USD\",\"sid\":\"" + sid + "\",\"status\":\"queued\","
                + "\"subresource_uris\":{\"media\":\"" + API_PREFIX + accountSid + "/Messages/" + sid
                + "/Media.json\"},\"to\":" + JSON.writeValueAsString(form.getOrDefault("To", ""))
                + ",\"uri\":\"" + API_PREFIX + accountSid + "/Messages/" + sid + ".json\"}";
        // Counted before answering, so that a sender who has its answer finds it counted.
        accepted.add();
        answer(exchange, 201, message);
    }

    private static void notFound(HttpExchange exchange, String path) throws IOException {
        answer(exchange, 404, "{\"code\":20404,\"message\":" + JSON.writeValueAsString("The requested resource "
                + path + " was not found") + ",\"more_info\":\"https://www.twilio.com/docs/errors/20404\","
                + "\"status\":404}");
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Twilio-Request-Id", "RQ" + hex32());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The parameters of a form body; the first of repeated names. */
    private static Map<String, String> form(String body) {
        Map<String, String> params = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String hex32() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }

    /** Forgets every message accepted, before a new round. */
    void reset() {
        accepted.reset();
    }

    /** Fails the round unless it accepted exactly {@code count} messages since the last {@link #reset()}. */
    void checkAccepted(int count) {
        accepted.checkExactly(count);
    }

    /** Waits until it has accepted {@code count} messages since the last {@link #reset()}. */
    void await(int count, Duration timeout) throws InterruptedException {
        accepted.await(count, timeout);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
