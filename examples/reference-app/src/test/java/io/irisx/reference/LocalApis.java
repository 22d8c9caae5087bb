package io.irisx.reference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The providers' APIs and a customer's webhook receiver on loopback (a JDK {@link HttpServer}), each answering as its
 * documentation says:
 * <ul>
 *   <li>Postmark (postmarkapp.com/developer/api/email-api, postmarkapp.com/developer/api/overview#error-codes):
 *       {@code POST /postmark/email} with {@code X-Postmark-Server-Token}, answering 200
 *       {@code {"To","SubmittedAt","MessageID","ErrorCode":0,"Message":"OK"}}, or, while refusing, 422
 *       {@code {"ErrorCode":406,"Message":"You tried to send to a recipient that has been marked as inactive."}};</li>
 *   <li>Twilio's Messages API (twilio.com/docs/messaging/api/message-resource#create-a-message-resource): a
 *       form-encoded {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} with basic authentication, answered
 *       201 with the Message resource;</li>
 *   <li>Twilio's Calls API (twilio.com/docs/voice/api/call-resource): {@code POST …/Calls.json} answered 201 with a
 *       queued Call resource, and {@code POST …/Calls/{CallSid}.json} (an update: {@code Status=completed} hangs up)
 *       answered 200 with the call completed;</li>
 *   <li>Stripe's PaymentIntents API (docs.stripe.com/api/payment_intents/create,
 *       docs.stripe.com/api/payment_intents/object): a form-encoded {@code POST /v1/payment_intents} with a Bearer
 *       secret key, answered 200 with the PaymentIntent and a {@code Request-Id}; the same {@code Idempotency-Key}
 *       answers the same PaymentIntent (docs.stripe.com/api/idempotent_requests);</li>
 *   <li>a customer's webhook receiver: {@code POST /hooks/ok} answered 204, {@code POST /hooks/down} answered 503.</li>
 * </ul>
 * Every request is kept. Thread-safe.
 */
final class LocalApis implements AutoCloseable {

    static final String POSTMARK_TOKEN = "5e0c7a42-91d3-4b8e-a6f1-0d2c3b4a5e6f";
    static final String TWILIO_SID = "AC" + "0123456789abcdef".repeat(2);
    static final String TWILIO_TOKEN = "fedcba9876543210fedcba9876543210";

    private static final Pattern CALL_UPDATE = Pattern.compile(".*/Calls/(CA[0-9a-f]{32})\\.json");

    /**
     * A request as the server received it.
     *
     * @param method the method
     * @param path the raw path
     * @param headers the headers, names in lower case
     * @param body the body as text
     */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        /** The form parameters of a form-encoded body. */
        Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return form;
        }
    }

    private final HttpServer server;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger emails = new AtomicInteger();
    private final Map<String, String> paymentIntents = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean postmarkRefusing;

    LocalApis() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes Postmark refuse every email from now on (true), or accept them again. */
    void postmarkRefusing(boolean refusing) {
        this.postmarkRefusing = refusing;
    }

    /** The requests received on paths starting with {@code prefix}, in order. */
    List<Received> received(String prefix) {
        return requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    static String messageSid(int n) {
        return String.format("SM%032x", n);
    }

    static String callSid(int n) {
        return String.format("CA%032x", n);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                List.copyOf(values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Received(exchange.getRequestMethod(), path, headers, body));
        String twilioAccount = "/2010-04-01/Accounts/" + TWILIO_SID;
        Matcher update = CALL_UPDATE.matcher(path);
        if (path.equals("/postmark/email")) {
            if (postmarkRefusing) {
                answer(exchange, 422, "{\"ErrorCode\":406,\"Message\":\"You tried to send to a recipient that has been"
                        + " marked as inactive.\"}");
            } else {
                answer(exchange, 200, "{\"To\":\"\",\"SubmittedAt\":\"2030-01-01T00:00:00.0000000Z\",\"MessageID\":\""
                        + java.util.UUID.randomUUID() + "\",\"ErrorCode\":0,\"Message\":\"OK\"}");
            }
        } else if (path.equals("/v3/mail/send")) {
            exchange.getResponseHeaders().add("X-Message-Id",
                    String.format("LocalSendGrid%09dA", emails.incrementAndGet()));
            answer(exchange, 202, "");
        } else if (path.startsWith("/mailgun/v3/") && path.endsWith("/messages")) {
            answer(exchange, 200, "{\"id\":\"<20300101000000." + emails.incrementAndGet()
                    + ".16540@mg.acme.example>\",\"message\":\"Queued. Thank you.\"}");
        } else if (path.equals("/resend/emails")) {
            answer(exchange, 200, "{\"id\":\"" + java.util.UUID.randomUUID() + "\"}");
        } else if (path.equals("/elasticemail/v4/emails/transactional")) {
            answer(exchange, 200, "{\"TransactionID\":\"" + java.util.UUID.randomUUID() + "\",\"MessageID\":\"LocalEe"
                    + emails.incrementAndGet() + "\"}");
        } else if (path.equals("/v2/email/outbound-emails")) {
            exchange.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            answer(exchange, 200, String.format("{\"MessageId\":\"0102018c1a2b3c4d-5e6f7a8b-1111-2222-3333-%012d"
                    + "-000000\"}", emails.incrementAndGet()));
        } else if (path.equals(twilioAccount + "/Messages.json")) {
            answer(exchange, 201, "{\"account_sid\":\"" + TWILIO_SID + "\",\"api_version\":\"2010-04-01\","
                    + "\"body\":\"\",\"direction\":\"outbound-api\",\"error_code\":null,\"error_message\":null,"
                    + "\"num_media\":\"0\",\"num_segments\":\"1\",\"sid\":\"" + messageSid(messages.incrementAndGet())
                    + "\",\"status\":\"queued\",\"uri\":\"" + twilioAccount + "/Messages.json\"}");
        } else if (path.equals(twilioAccount + "/Calls.json")) {
            answer(exchange, 201, call(callSid(calls.incrementAndGet()), "queued"));
        } else if (update.matches()) {
            answer(exchange, 200, call(update.group(1), "completed"));
        } else if (path.equals("/v1/payment_intents")) {
            Map<String, String> form = new Received("POST", path, headers, body).form();
            String key = headers.getOrDefault("idempotency-key", List.of("none")).get(0);
            String id = paymentIntents.computeIfAbsent(key, k -> "pi_3LocalApis" + paymentIntents.size() + "x");
            exchange.getResponseHeaders().add("Request-Id", "req_" + id);
            answer(exchange, 200, "{\"id\": \"" + id + "\", \"object\": \"payment_intent\", \"amount\": "
                    + form.get("amount") + ", \"amount_capturable\": 0, \"amount_received\": 0,"
                    + " \"capture_method\": \"automatic\", \"client_secret\": \"" + id + "_secret_Yr4kJUKribcB\","
                    + " \"confirmation_method\": \"automatic\", \"created\": 1680800504, \"currency\": \""
                    + form.get("currency") + "\", \"livemode\": false, \"metadata\": {\"irisx_tenant\": \""
                    + form.get("metadata[irisx_tenant]") + "\"}, \"payment_method_types\": [\"card\"],"
                    + " \"status\": \"requires_payment_method\"}");
        } else if (path.equals("/hooks/ok")) {
            answer(exchange, 204, "");
        } else if (path.equals("/hooks/down")) {
            answer(exchange, 503, "{\"error\":\"down for maintenance\"}");
        } else {
            answer(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
        }
    }

    private static String call(String sid, String status) {
        return """
                {"account_sid": "%s", "annotation": null, "answered_by": null, "api_version": "2010-04-01",
                 "caller_name": null, "date_created": "Tue, 31 Aug 2030 20:36:28 +0000",
                 "date_updated": "Tue, 31 Aug 2030 20:36:44 +0000", "direction": "outbound-api",
                 "duration": null, "end_time": null, "forwarded_from": null, "from": "+14155550100",
                 "from_formatted": "(415) 555-0100", "group_sid": null, "parent_call_sid": null,
                 "phone_number_sid": "PN0123456789abcdef0123456789abcdef", "price": null, "price_unit": "USD",
                 "sid": "%s", "start_time": null, "status": "%s", "subresource_uris": {},
                 "to": "+447400123456", "to_formatted": "+447400123456", "trunk_sid": null,
                 "uri": "/2010-04-01/Accounts/%s/Calls/%s.json", "queue_time": "0"}"""
                .formatted(TWILIO_SID, sid, status, TWILIO_SID, sid);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
