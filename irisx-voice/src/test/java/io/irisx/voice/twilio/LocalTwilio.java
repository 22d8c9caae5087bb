package io.irisx.voice.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.testing.TwilioSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Twilio's REST API on loopback, a JDK {@link HttpServer}: each request is kept as it arrived (method, path, headers,
 * form parameters) and answered with the next answer the test queued, else as Twilio does: a new Call resource (201)
 * for a placing; for an update of a call it created ({@code …/Calls/{CallSid}.json}) the Call resource (200), its
 * status {@code completed} after {@code Status=completed} and {@code in-progress} after a redirect; for an update of a
 * call it does not know, 404 with error 20404; and the {@link Webhook}s Twilio posts back about its calls.
 * Thread-safe.
 */
final class LocalTwilio implements AutoCloseable {

    /** The account the server stands for. */
    static final String ACCOUNT_SID = "AC3f9b2c7d1e4a5b6c8d9e0f1a2b3c4d5e";
    /** The account's auth token. */
    static final String AUTH_TOKEN = "9f1c2b3a4d5e6f708192a3b4c5d6e7f8";
    /** The path of the account's Calls list resource. */
    static final String CALLS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";

    /**
     * A request as the server received it.
     *
     * @param method the HTTP method
     * @param path the path, without the query
     * @param headers the headers, names in lower case
     * @param form the form parameters, each name with its values in order
     */
    record Received(String method, String path, Map<String, List<String>> headers, Map<String, List<String>> form) {

        /** The first value of header {@code name}. */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        /** The only value of form parameter {@code name}, or {@code null} when absent. */
        String param(String name) {
            List<String> values = form.get(name);
            if (values == null) {
                return null;
            }
            if (values.size() != 1) {
                throw new AssertionError(name + " was sent " + values.size() + " times: " + values);
            }
            return values.get(0);
        }
    }

    /**
     * How the server answers one request.
     *
     * @param status the HTTP status
     * @param contentType the content type
     * @param body the body
     * @param headers more headers
     * @param hang whether it answers only when the server closes (a provider that does not answer in time)
     */
    record Answer(int status, String contentType, String body, Map<String, String> headers, boolean hang) {

        /** Twilio's Call resource for call {@code sid} in {@code status}, with HTTP status {@code code}. */
        static Answer call(int code, String sid, String status) {
            return json(code, """
                    {"account_sid": "%s", "annotation": null, "answered_by": null, "api_version": "2010-04-01",
                     "caller_name": null, "date_created": "Tue, 31 Aug 2010 20:36:28 +0000",
                     "date_updated": "Tue, 31 Aug 2010 20:36:44 +0000", "direction": "outbound-api",
                     "duration": null, "end_time": null, "forwarded_from": null, "from": "+14155550100",
                     "from_formatted": "(415) 555-0100", "group_sid": null, "parent_call_sid": null,
                     "phone_number_sid": "PN0123456789abcdef0123456789abcdef", "price": null, "price_unit": "USD",
                     "sid": "%s", "start_time": null, "status": "%s", "subresource_uris": {},
                     "to": "+447400123456", "to_formatted": "+447400123456", "trunk_sid": null,
                     "uri": "/2010-04-01/Accounts/%s/Calls/%s.json", "queue_time": "0"}"""
                    .formatted(ACCOUNT_SID, sid, status, ACCOUNT_SID, sid));
        }

        /** Twilio's error answer: HTTP {@code status}, error {@code code} and {@code message}. */
        static Answer error(int status, int code, String message) {
            return json(status, """
                    {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}"""
                    .formatted(code, message, code, status)).header("Twilio-Request-Id", "RQ" + "ab".repeat(16));
        }

        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, Map.of(), false);
        }

        Answer header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, contentType, body, more, hang);
        }

        /** This answer, given only when the server closes. */
        Answer hanging() {
            return new Answer(status, contentType, body, headers, true);
        }
    }

    /**
     * A webhook Twilio posts to the application about a call of this account: its form parameters in the order Twilio
     * sends them, built fluently, and {@linkplain #to posted} signed as Twilio signs webhooks
     * (https://www.twilio.com/docs/usage/webhooks/webhooks-security: the Base64 HMAC-SHA1, keyed with the auth token,
     * of the full URL followed by each parameter's name and value sorted by name, computed by
     * {@link TwilioSignatures}). The calls go from {@code +447400654321} to {@code +447400123456}. Immutable.
     *
     * @param params the form parameters, in order
     */
    record Webhook(Map<String, String> params) {

        /** Copies the parameters, keeping their order. */
        Webhook {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        /**
         * The status callback of outbound call {@code callSid} now in {@code callStatus}, with the parameters of
         * https://www.twilio.com/docs/voice/api/call-resource#statuscallback.
         */
        static Webhook status(String callSid, String callStatus) {
            return new Webhook(Map.of()).with("AccountSid", ACCOUNT_SID).with("ApiVersion", "2010-04-01")
                    .with("CallSid", callSid).with("CallStatus", callStatus)
                    .with("CallbackSource", "call-progress-events").with("Direction", "outbound-api")
                    .with("From", "+447400654321").with("To", "+447400123456").with("SequenceNumber", "0")
                    .with("Timestamp", "Tue, 01 Jan 2030 00:00:05 +0000");
        }

        /**
         * Twilio's request for TwiML at the flow URL about call {@code callSid} in {@code callStatus}, in
         * {@code direction} ({@code outbound-api}, {@code inbound}), with the parameters of
         * https://www.twilio.com/docs/voice/twiml#request-parameters.
         */
        static Webhook voice(String callSid, String callStatus, String direction) {
            return new Webhook(Map.of()).with("AccountSid", ACCOUNT_SID).with("ApiVersion", "2010-04-01")
                    .with("CallSid", callSid).with("CallStatus", callStatus).with("Direction", direction)
                    .with("From", "+447400654321").with("To", "+447400123456").with("Caller", "+447400654321")
                    .with("Called", "+447400123456");
        }

        /**
         * The recording status callback of recording {@code recordingSid} of call {@code callSid}, now in
         * {@code recordingStatus}, with the parameters of
         * https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback: a dual-channel recording of both
         * tracks of an API call, 38 seconds long when completed, its audio at {@link #recordingUrl}.
         */
        static Webhook recording(String callSid, String recordingSid, String recordingStatus) {
            Webhook recording = new Webhook(Map.of()).with("AccountSid", ACCOUNT_SID).with("CallSid", callSid)
                    .with("RecordingSid", recordingSid).with("RecordingUrl", recordingUrl(recordingSid))
                    .with("RecordingStatus", recordingStatus);
            if (recordingStatus.equals("completed")) {
                recording = recording.with("RecordingDuration", "38");
            }
            return recording.with("RecordingChannels", "2")
                    .with("RecordingStartTime", "Tue, 01 Jan 2030 00:00:07 +0000")
                    .with("RecordingSource", "OutboundAPI").with("RecordingTrack", "both").with("ErrorCode", "0");
        }

        /** The URL of recording {@code recordingSid}'s audio, as Twilio gives it. */
        static String recordingUrl(String recordingSid) {
            return "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + recordingSid;
        }

        /** This webhook with parameter {@code name} set to {@code value}: in its place when present, else last. */
        Webhook with(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(params);
            more.put(name, value);
            return new Webhook(more);
        }

        /** This webhook as Twilio posts it to {@code url}: signed with {@link #AUTH_TOKEN} for that URL. */
        CallbackRequest to(String url) {
            return to(url, AUTH_TOKEN, url);
        }

        /**
         * This webhook posted to {@code url} (its path and query) but signed with {@code token} for {@code signedUrl}:
         * a forgery, or a request moved elsewhere, when either differs from what the handler expects.
         */
        CallbackRequest to(String url, String token, String signedUrl) {
            URI uri = URI.create(url);
            return TwilioSignatures.signed(token, signedUrl, params).as((headers, body) -> new CallbackRequest("POST",
                    uri.getRawPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery(), headers,
                    body.getBytes(StandardCharsets.UTF_8), ""));
        }
    }

    private final HttpServer server;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private int calls;
    private final java.util.Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A server on a free port of loopback. */
    LocalTwilio() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The server's base URL, which stands for {@code https://api.twilio.com}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next request with {@code answer}. */
    void enqueue(Answer answer) {
        answers.add(answer);
    }

    /** Every request the server got, in order. */
    List<Received> requests() {
        return List.copyOf(requests);
    }

    /** The SID of the {@code n}th call the server created. */
    static String sid(int n) {
        return String.format("CA%032x", n);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received received = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers,
                form(body));
        requests.add(received);
        Answer answer = answers.poll();
        if (answer == null) {
            answer = standard(received);
        }
        if (answer.hang()) {
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        try {
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException gone) {
            // The client gave up waiting (a timeout test): nothing to answer.
        } finally {
            exchange.close();
        }
    }

    /** Twilio's own answer to {@code request}. */
    private Answer standard(Received request) {
        String prefix = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/";
        if (request.path().startsWith(prefix) && request.path().endsWith(".json")) {
            String sid = request.path().substring(prefix.length(), request.path().length() - ".json".length());
            if (!created.contains(sid)) {
                return Answer.error(404, 20404, "The requested resource " + request.path() + " was not found");
            }
            return Answer.call(200, sid, "completed".equals(request.param("Status")) ? "completed" : "in-progress");
        }
        synchronized (this) {
            String sid = sid(++calls);
            created.add(sid);
            return Answer.call(201, sid, "queued");
        }
    }

    private static Map<String, List<String>> form(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return form;
    }

    /** Stops the server. */
    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
