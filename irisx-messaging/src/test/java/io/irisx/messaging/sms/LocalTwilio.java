package io.irisx.messaging.sms;

import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.twilio.TwilioProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Twilio's Messages API on loopback for the SMS sender's tests (twilio.com/docs/messaging/api/message-resource#create-a-message-resource,
 * twilio.com/docs/api/errors): a form-encoded POST to {@code /2010-04-01/Accounts/{AccountSid}/Messages.json}
 * answered 201 with the new message's JSON, or with Twilio's error JSON when it is down or refuses the number.
 */
public final class LocalTwilio extends Dispatcher implements AutoCloseable {

    /** How the server answers. */
    public enum Mode {
        /** It accepts the message. */
        UP,
        /** It fails on its side (500, code 20500): retryable. */
        DOWN,
        /** It refuses the To number (400, code 21211): permanent. */
        REFUSING
    }

    public static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    public static final String AUTH_TOKEN = "fedcba9876543210fedcba9876543210";

    public final MockWebServer web = new MockWebServer();
    public final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    public final AtomicInteger sent = new AtomicInteger();
    public volatile Mode mode = Mode.UP;

    /** A server on a free port of loopback. */
    public LocalTwilio() {
        web.setDispatcher(this);
        try {
            web.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Twilio provider pointed at this server. */
    public SmsProvider provider() {
        return TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).baseUrl(web.url("/").toString())
                .timeout(Duration.ofSeconds(2)).build();
    }

    /** The SID the server gave its {@code n}th accepted message. */
    public static String sid(int n) {
        return String.format("SM%032x", n);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        return switch (mode) {
            case DOWN -> json(500, "{\"code\":20500,\"message\":\"Internal Server Error\","
                    + "\"more_info\":\"https://www.twilio.com/docs/errors/20500\",\"status\":500}");
            case REFUSING -> json(400, "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\","
                    + "\"more_info\":\"https://www.twilio.com/docs/errors/21211\",\"status\":400}");
            case UP -> json(201, "{\"account_sid\":\"" + ACCOUNT_SID + "\",\"api_version\":\"2010-04-01\","
                    + "\"body\":\"\",\"direction\":\"outbound-api\",\"error_code\":null,\"error_message\":null,"
                    + "\"num_media\":\"0\",\"num_segments\":\"1\",\"sid\":\"" + sid(sent.incrementAndGet())
                    + "\",\"status\":\"queued\",\"uri\":\"/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json\"}");
        };
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Override
    public void close() {
        web.close();
    }
}
