package com.example.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SendGrid's and Twilio's APIs on loopback, answering as their documentation says, on the JDK's own HTTP server;
 * thread-safe.
 *
 * <ul>
 *   <li>SendGrid v3 Mail Send: {@code POST /v3/mail/send} answered 202 with no body and the message's id in
 *       {@code X-Message-Id} (twilio.com/docs/sendgrid/api-reference/mail-send/mail-send).
 *   <li>Twilio Messages: {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} answered 201 with the new
 *       Message resource as JSON (twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
 * </ul>
 */
final class LocalProviderApis implements AutoCloseable {

    static final String SENDGRID_MESSAGE_ID = "14c5d75ce93.dfd.64b469.filter-147.22649.5DA4F3BF8.0";
    static final String TWILIO_MESSAGE_SID = "SM" + "1f0e2d3c4b5a69788796a5b4c3d2e1f0";

    private static final Pattern TWILIO_MESSAGES = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\\.json");

    /** What the server was asked: method, path, the Authorization header and the body. */
    record Received(String method, String path, String authorization, String body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    LocalProviderApis() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    /** The server's base URL: scheme, host and port. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            Matcher twilio = TWILIO_MESSAGES.matcher(path);
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "");
            } else if (path.equals("/v3/mail/send")) {
                exchange.getResponseHeaders().add("X-Message-Id", SENDGRID_MESSAGE_ID);
                exchange.sendResponseHeaders(202, -1);
            } else if (twilio.matches()) {
                send(exchange, 201, "application/json", twilioMessage(twilio.group(1)));
            } else {
                send(exchange, 404, "text/plain", "no such API: " + path);
            }
        }
    }

    /** The Message resource Twilio answers a create with, as its documentation shows it. */
    private static String twilioMessage(String accountSid) {
        return """
                {"account_sid": "%1$s", "api_version": "2010-04-01", "body": "Your code is 123456",
                 "date_created": "Thu, 24 Aug 2023 05:01:45 +0000", "date_sent": null,
                 "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000", "direction": "outbound-api",
                 "error_code": null, "error_message": null, "from": "+14155552345",
                 "messaging_service_sid": null, "num_media": "0", "num_segments": "1", "price": null,
                 "price_unit": "USD", "sid": "%2$s", "status": "queued",
                 "subresource_uris": {"media": "/2010-04-01/Accounts/%1$s/Messages/%2$s/Media.json"},
                 "to": "+14155552346", "uri": "/2010-04-01/Accounts/%1$s/Messages/%2$s.json"}
                """.formatted(accountSid, TWILIO_MESSAGE_SID);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
