package io.irisx.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * Email providers' APIs on loopback, each answering a send as the provider documents:
 * <ul>
 *   <li>Postmark (postmarkapp.com/developer/api/email-api): POST {@code /email} with
 *       {@code X-Postmark-Server-Token}, answering {@code {"To","SubmittedAt","MessageID","ErrorCode":0,
 *       "Message":"OK"}};</li>
 *   <li>Resend (resend.com/docs/api-reference/emails/send-email): POST {@code /emails} with a Bearer key, answering
 *       {@code {"id"}}.</li>
 * </ul>
 */
final class LocalEmailApis {

    static final String POSTMARK_MESSAGE_ID = "b7bc2f4a-e38e-4336-af7d-e6c392c2f817";
    static final String RESEND_ID = "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794";

    private LocalEmailApis() {
    }

    /** A server on loopback, started. */
    static MockWebServer start() {
        MockWebServer server = new MockWebServer();
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    /** Postmark's answer to an accepted email to {@code to}. */
    static MockResponse postmarkAccepted(String to) {
        return json("{\"To\":\"" + to + "\",\"SubmittedAt\":\"2030-01-01T00:00:00.0000000Z\",\"MessageID\":\""
                + POSTMARK_MESSAGE_ID + "\",\"ErrorCode\":0,\"Message\":\"OK\"}");
    }

    /** Resend's answer to an accepted email. */
    static MockResponse resendAccepted() {
        return json("{\"id\":\"" + RESEND_ID + "\"}");
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }
}
