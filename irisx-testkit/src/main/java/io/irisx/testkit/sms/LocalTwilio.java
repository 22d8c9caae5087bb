package io.irisx.testkit.sms;

import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.twilio.TwilioProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Twilio's Messages API on loopback (twilio.com/docs/messaging/api/message-resource#create-a-message-resource,
 * twilio.com/docs/api/errors): a form-encoded POST to {@code /2010-04-01/Accounts/{AccountSid}/Messages.json}
 * answered 201 with the new message's JSON, or with Twilio's error JSON when it is down or refuses the number. The
 * {@link SmsSenderContractKit} sends through it; a host's test may too. Thread-safe: the test sets its
 * {@linkplain #mode(Mode) mode} while the sender's workers call it.
 */
public final class LocalTwilio implements AutoCloseable {

    /** How the server answers. */
    public enum Mode {
        /** It accepts the message. */
        UP,
        /** It fails on its side (500, code 20500): retryable. */
        DOWN,
        /** It refuses the To number (400, code 21211): permanent. */
        REFUSING
    }

    /** The account the server stands for. */
    public static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    /** The account's auth token, which signs Twilio's callbacks. */
    public static final String AUTH_TOKEN = "fedcba9876543210fedcba9876543210";

    private final MockWebServer web = new MockWebServer();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private volatile Mode mode = Mode.UP;

    /** A server on a free port of loopback, accepting messages. */
    public LocalTwilio() {
        web.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                return answer();
            }
        });
        try {
            web.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Twilio provider pointed at this server, with a timeout of two seconds. */
    public SmsProvider provider() {
        return TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).baseUrl(baseUrl()).timeout(Duration.ofSeconds(2))
                .build();
    }

    /** The server's base URL, which stands for {@code https://api.twilio.com/}. */
    public String baseUrl() {
        return web.url("/").toString();
    }

    /** Makes the server answer every request from now on as {@code mode} says. */
    public void mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Every request the server got, in order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many messages the server accepted. */
    public int sent() {
        return sent.get();
    }

    /** The SID the server gave its {@code n}th accepted message. */
    public static String sid(int n) {
        return String.format("SM%032x", n);
    }

    private MockResponse answer() {
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

    /** Stops the server. */
    @Override
    public void close() {
        web.close();
    }
}
