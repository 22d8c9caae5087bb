package io.irisx.messaging.sms.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.irisx.core.ProviderException;
import io.irisx.messaging.sms.spi.OutgoingSms;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.testkit.sms.ReceivedSms;
import io.irisx.testkit.sms.SmsProviderContractKit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TwilioProvider} against a local server speaking Twilio's documented wire format:
 * <ul>
 *   <li>https://www.twilio.com/docs/messaging/api/message-resource — {@code POST
 *       https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json}, form-encoded, with {@code To},
 *       {@code From} or {@code MessagingServiceSid}, {@code Body}, {@code MediaUrl} (repeated, at most 10),
 *       {@code StatusCallback}, {@code ValidityPeriod} (seconds, 1-36000; error 90007 outside); the answer HTTP 201
 *       with the Message resource {@code {"sid": "SM…", "status": "queued", …}};</li>
 *   <li>https://www.twilio.com/docs/usage/requests-to-twilio — HTTP Basic authentication, as the account SID and auth
 *       token, or as an API key SID ({@code SK…}) and its secret;</li>
 *   <li>https://www.twilio.com/docs/usage/twilios-response and https://www.twilio.com/docs/api/errors — the error
 *       answer {@code {"code", "message", "more_info", "status"}} (with a {@code detail} for 20003), and the codes
 *       20003 authentication, 20404 not found, 20429 too many requests (safe to retry after backing off), 20500,
 *       20503, 21211 invalid To, 21212 invalid From, 21606 From not an SMS-capable number of the account, 21608
 *       unverified To on a trial account, 21610 unsubscribed recipient (STOP), 21612 cannot route, 21614 not a
 *       mobile number, 21659 From not a Twilio number, 21660 From of another account;</li>
 *   <li>the {@code Twilio-Request-Id} response header (twilio/twilio-ruby#214), which the SDK does not expose with its
 *       exceptions, nor safely across threads (twilio/twilio-node#729 for the same {@code lastResponse} design).</li>
 * </ul>
 */
class TwilioProviderTest extends SmsProviderContractKit {

    private static final String ACCOUNT_SID = "AC3f9b2c7d1e4a5b6c8d9e0f1a2b3c4d5e";
    private static final String AUTH_TOKEN = "9f1c2b3a4d5e6f708192a3b4c5d6e7f8";
    private static final String API_KEY_SID = "SK0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    private static final String API_KEY_SECRET = "Qm7xVb2LpR9sT4wY6zA1cE3gH5jK8nP0";
    private static final String ACCEPTED_ID = "SM1f0e8a2b3c4d5e6f708192a3b4c5d6e7";
    private static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";

    private final MockWebServer server = new MockWebServer();
    private TwilioProvider provider;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        provider = builder().build();
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private TwilioProvider.Builder builder() {
        return TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).baseUrl("http://127.0.0.1:" + server.getPort())
                .timeout(Duration.ofSeconds(1));
    }

    @Override
    protected SmsProvider provider() {
        return provider;
    }

    @Override
    protected void willAnswer(Answer answer) {
        MockResponse.Builder response = switch (answer) {
            case ACCEPTED -> accepted();
            case INVALID_TO -> error(400, 21211, errorText(answer));
            case UNVERIFIED_FROM -> error(400, 21606, errorText(answer));
            case AUTH_FAILURE -> json(401, """
                    {"code": 20003, "detail": "%s", "message": "Authenticate",
                     "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"""
                    .formatted(errorText(answer)))
                    .addHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
            case RATE_LIMITED -> error(429, 20429, errorText(answer));
            case SERVER_ERROR -> error(500, 20500, errorText(answer));
            case TIMEOUT -> accepted().headersDelay(3, TimeUnit.SECONDS);
        };
        server.enqueue(response.build());
    }

    @Override
    protected String errorText(Answer answer) {
        return switch (answer) {
            case INVALID_TO -> "The 'To' number +1555 is not a valid phone number.";
            case UNVERIFIED_FROM -> "The From phone number +14155550100 is not a valid, SMS-capable inbound phone "
                    + "number or short code for your account.";
            case AUTH_FAILURE -> "Your AccountSid or AuthToken was incorrect.";
            case RATE_LIMITED -> "Too Many Requests";
            case SERVER_ERROR -> "An internal server error has occurred";
            case ACCEPTED, TIMEOUT -> "no answer within the timeout";
        };
    }

    @Override
    protected int statusCode(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> 201;
            case INVALID_TO, UNVERIFIED_FROM -> 400;
            case AUTH_FAILURE -> 401;
            case RATE_LIMITED -> 429;
            case SERVER_ERROR -> 500;
            case TIMEOUT -> 0;
        };
    }

    @Override
    protected ReceivedSms received() throws Exception {
        Map<String, List<String>> form = form(server.takeRequest(5, TimeUnit.SECONDS));
        return new ReceivedSms(first(form, "To"), first(form, "From"), first(form, "MessagingServiceSid"),
                first(form, "Body"), form.getOrDefault("MediaUrl", List.of()), first(form, "StatusCallback"),
                form.containsKey("ValidityPeriod") ? Integer.parseInt(first(form, "ValidityPeriod")) : 0);
    }

    @Override
    protected String acceptedId() {
        return ACCEPTED_ID;
    }

    @Override
    protected List<String> secrets() {
        return List.of(AUTH_TOKEN);
    }

    @Test
    void it_posts_a_form_to_the_accounts_messages_with_basic_auth_as_the_sdk_makes_it_for_twilio() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(plainSms());

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo(MESSAGES_PATH);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo(basic(ACCOUNT_SID, AUTH_TOKEN));
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Host")).isEqualTo("api.twilio.com");
        assertThat(request.getHeaders().get("User-Agent")).startsWith("twilio-java/");
        assertThat(form(request)).containsOnlyKeys("To", "From", "Body");
    }

    @Test
    void an_mms_is_sent_as_exactly_twilios_form_fields() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(fullMms());

        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("To", List.of("+14155550123"));
        expected.put("From", List.of("+14155550100"));
        expected.put("Body", List.of("Your receipt, order A-1042 — €12.50 ✓"));
        expected.put("MediaUrl", List.of("https://cdn.acme.example/receipts/A-1042.png",
                "https://cdn.acme.example/logo.jpg?size=2x&v=3"));
        expected.put("StatusCallback", List.of("https://hooks.acme.example/sms/status?tenant=acme"));
        expected.put("ValidityPeriod", List.of("600"));
        assertThat(form(server.takeRequest(5, TimeUnit.SECONDS))).isEqualTo(expected);
    }

    @Test
    void an_mms_without_text_is_sent_without_a_body_field() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(sms(TO, FROM, "", "", List.of("https://cdn.acme.example/a.png"), "", 0));

        assertThat(form(server.takeRequest(5, TimeUnit.SECONDS))).containsOnlyKeys("To", "From", "MediaUrl");
    }

    @Test
    void the_receipt_carries_the_message_sid_and_twilios_status() {
        willAnswer(Answer.ACCEPTED);
        assertThat(provider.send(plainSms()).providerStatus()).isEqualTo("queued");
    }

    @Test
    void with_an_api_key_it_authenticates_as_the_key_and_still_posts_to_the_accounts_path() throws Exception {
        try (TwilioProvider keyed = builder().apiKey(API_KEY_SID, API_KEY_SECRET).build()) {
            willAnswer(Answer.ACCEPTED);
            assertThat(keyed.send(plainSms()).providerMessageId()).isEqualTo(ACCEPTED_ID);
            assertThat(keyed.toString()).contains(API_KEY_SID).doesNotContain(API_KEY_SECRET).doesNotContain(AUTH_TOKEN);
        }
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getTarget()).isEqualTo(MESSAGES_PATH);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo(basic(API_KEY_SID, API_KEY_SECRET));
    }

    @Test
    void the_failure_carries_twilios_request_id() {
        server.enqueue(error(400, 21211, "The 'To' number +1555 is not a valid phone number.")
                .addHeader("Twilio-Request-Id", "RQ7a1b2c3d4e5f60718293a4b5c6d7e8f9").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainSms()));
        assertThat(failure.requestId()).contains("RQ7a1b2c3d4e5f60718293a4b5c6d7e8f9");
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "21211 | 400 | The 'To' number +1555 is not a valid phone number.",
        "21212 | 400 | The 'From' number +1555 is not a valid phone number or shortcode.",
        "21606 | 400 | The From phone number +14155550100 is not a valid SMS-capable inbound phone number.",
        "21608 | 400 | The number +14155550123 is unverified. Trial accounts cannot send messages to unverified numbers.",
        "21610 | 400 | Attempt to send to unsubscribed recipient",
        "21612 | 400 | The 'To' phone number is not currently reachable via SMS.",
        "21614 | 400 | '+14155550123' is not a valid mobile number",
        "21659 | 400 | 'From' +14155550100 is not a Twilio phone number or Sender ID.",
        "21660 | 400 | Mismatch between the 'From' number +14155550100 and the account",
        "20003 | 401 | Authenticate",
        "20404 | 404 | The requested resource was not found"})
    void each_permanent_twilio_code_is_a_permanent_failure_naming_the_code(int code, int status, String message) {
        server.enqueue(error(status, code, message).build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainSms()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.statusCode()).isEqualTo(status);
        assertThat(failure.getMessage()).contains(message).contains("Twilio error " + code)
                .contains("https://www.twilio.com/docs/errors/" + code);
    }

    @Test
    void a_permanent_code_stays_permanent_whatever_status_comes_with_it() {
        server.enqueue(error(503, 21610, "Attempt to send to unsubscribed recipient").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainSms()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.statusCode()).isEqualTo(503);
    }

    @Test
    void a_server_error_is_tried_once_because_twilio_has_no_idempotency_key() {
        willAnswer(Answer.SERVER_ERROR);
        willAnswer(Answer.ACCEPTED);

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainSms()));
        assertThat(failure.isRetryable()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_answer_that_is_not_twilios_json_is_quoted_and_a_502_is_retryable() {
        server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                .body("<html><body>502 Bad Gateway</body></html>").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainSms()));
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.statusCode()).isEqualTo(502);
        assertThat(failure.getMessage()).contains("502 Bad Gateway");
    }

    @Test
    void an_accepted_answer_without_a_sid_is_a_permanent_failure() {
        server.enqueue(json(201, "{\"status\": \"queued\"}").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainSms()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("'sid'");
    }

    @Test
    void a_refused_connection_is_retryable_with_no_status() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        try (TwilioProvider nowhere = TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN)
                .baseUrl("http://127.0.0.1:" + closedPort).timeout(Duration.ofSeconds(1)).build()) {
            ProviderException failure = catchThrowableOfType(ProviderException.class, () -> nowhere.send(plainSms()));
            assertThat(failure.isRetryable()).isTrue();
            assertThat(failure.statusCode()).isZero();
            assertThat(failure.getMessage()).contains("connection failed");
        }
    }

    @Test
    void the_timeout_bounds_connecting_too_not_only_the_wait_for_the_answer() throws IOException {
        // A listening socket that never accepts: once its backlog is full, the kernel leaves further connection
        // attempts unanswered, as a black-holed route would. The SDK's own connect timeout is 30.5 seconds.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                TwilioProvider stuck = TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN)
                        .baseUrl("http://127.0.0.1:" + silent.getLocalPort()).timeout(Duration.ofSeconds(1)).build()) {
            List<Socket> backlog = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket socket = new Socket();
                    socket.connect(silent.getLocalSocketAddress(), 200);
                    backlog.add(socket);
                }
            } catch (SocketTimeoutException full) {
                // The backlog is full: the next connection attempt will not be answered.
            }
            ProviderException failure = assertTimeoutPreemptively(Duration.ofSeconds(15),
                    () -> catchThrowableOfType(ProviderException.class, () -> stuck.send(plainSms())));
            assertThat(failure.isRetryable()).isTrue();
            assertThat(failure.statusCode()).isZero();
            assertThat(failure.getMessage()).contains("no answer within the timeout").contains("onnect");
            for (Socket socket : backlog) {
                socket.close();
            }
        }
    }

    @Test
    void more_than_ten_media_fail_before_any_request() {
        List<String> media = IntStream.range(0, 11).mapToObj(i -> "https://cdn.acme.example/" + i + ".png").toList();
        OutgoingSms mms = sms(TO, FROM, "", "Eleven", media, "", 0);

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(mms));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("at most 10 media");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void the_builder_refuses_bad_settings_naming_them_and_never_shows_a_secret() {
        assertThatThrownBy(() -> TwilioProvider.builder("AC123", AUTH_TOKEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accountSid")
                .hasMessageContaining("AC123");
        assertThatThrownBy(() -> TwilioProvider.builder(AUTH_TOKEN, ACCOUNT_SID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accountSid")
                .hasMessageNotContaining(AUTH_TOKEN);
        String mistyped = AUTH_TOKEN.substring(1) + "z";
        assertThatThrownBy(() -> TwilioProvider.builder(ACCOUNT_SID, mistyped))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authToken")
                .hasMessageNotContaining(mistyped);
        assertThatThrownBy(() -> TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).apiKey("SK1", API_KEY_SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keySid");
        assertThatThrownBy(() -> TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).apiKey(API_KEY_SID, "a secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret")
                .hasMessageNotContaining("a secret");
        assertThatThrownBy(() -> TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).baseUrl("not a url"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).baseUrl("http://127.0.0.1:8080/twilio"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl")
                .hasMessageContaining("without a path");
        assertThatThrownBy(() -> TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).timeout(Duration.ofMinutes(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void it_names_itself_twilio_and_sends_to_twilios_api_by_default() {
        try (TwilioProvider production = TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).build()) {
            assertThat(production.name()).isEqualTo("twilio");
            assertThat(production.toString()).contains("https://api.twilio.com").contains(ACCOUNT_SID)
                    .contains("auth token").contains("PT30S").doesNotContain(AUTH_TOKEN);
        }
    }

    private static MockResponse.Builder accepted() {
        return json(201, """
                {"account_sid": "%s", "api_version": "2010-04-01", "body": "Your code is 482913",
                 "date_created": "Thu, 24 Aug 2023 05:01:45 +0000", "date_sent": null,
                 "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000", "direction": "outbound-api", "error_code": null,
                 "error_message": null, "from": "+14155550100", "messaging_service_sid": null, "num_media": "0",
                 "num_segments": "1", "price": null, "price_unit": null, "sid": "%s", "status": "queued",
                 "subresource_uris": {"media": "/2010-04-01/Accounts/%s/Messages/%s/Media.json"},
                 "to": "+14155550123", "uri": "/2010-04-01/Accounts/%s/Messages/%s.json"}"""
                .formatted(ACCOUNT_SID, ACCEPTED_ID, ACCOUNT_SID, ACCEPTED_ID, ACCOUNT_SID, ACCEPTED_ID));
    }

    private static MockResponse.Builder json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json;charset=utf-8")
                .body(body);
    }

    private static MockResponse.Builder error(int status, int code, String message) {
        return json(status, """
                {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}"""
                .formatted(code, message.replace("\"", "\\\""), code, status));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The request's form body, each name with its values in order. */
    private static Map<String, List<String>> form(RecordedRequest request) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return form;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.getOrDefault(name, List.of());
        return values.isEmpty() ? "" : values.get(0);
    }
}
