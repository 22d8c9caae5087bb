package io.irisx.testkit.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.sms.spi.OutgoingSms;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.spi.SmsReceipt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SmsProvider} passes, as JUnit 5 tests run against a local server that speaks the
 * provider's documented wire format. A provider's test extends this kit, points {@link #provider()} at its server,
 * makes the server give each {@link Answer} in the provider's own words, and reads back what the server received.
 * JUnit makes an instance per test, so an instance is used by one test's threads only.
 *
 * <p>A provider of a host's own passes it as IRISX's Twilio provider does ({@code TwilioProviderTest} in
 * irisx-testkit's tests, in full): with MockWebServer answering as Twilio's Messages API documents,
 *
 * <pre>{@code
 * class TwilioProviderTest extends SmsProviderContractKit {
 *
 *     private final MockWebServer server = new MockWebServer();
 *     private TwilioProvider provider;
 *
 *     @BeforeEach
 *     void start() throws IOException {
 *         server.start(InetAddress.getByName("127.0.0.1"), 0);
 *         provider = TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).baseUrl(server.url("/").toString())
 *                 .timeout(Duration.ofSeconds(1)).build();
 *     }
 *
 *     @AfterEach
 *     void stop() {
 *         server.close();
 *     }
 *
 *     @Override
 *     protected SmsProvider provider() {
 *         return provider;
 *     }
 *
 *     @Override
 *     protected void willAnswer(Answer answer) {
 *         server.enqueue(switch (answer) {
 *             case ACCEPTED -> json(201, "{\"sid\":\"" + acceptedId() + "\",\"status\":\"queued\"}");
 *             case INVALID_TO -> json(400, "{\"code\":21211,\"message\":\"" + errorText(answer) + "\"}");
 *             // … each answer as Twilio gives it; TIMEOUT answers after the provider's timeout
 *         });
 *     }
 *
 *     @Override
 *     protected ReceivedSms received() throws Exception {
 *         // … the form parameters of the oldest request the server got, as a ReceivedSms
 *     }
 *
 *     // acceptedId(), errorText(Answer), statusCode(Answer) and secrets() in Twilio's terms
 * }
 * }</pre>
 */
public abstract class SmsProviderContractKit {

    /** What the local server answers to the next send, each in the provider's documented format. */
    public enum Answer {
        /** The message is accepted; the answer carries {@link #acceptedId()}. */
        ACCEPTED,
        /** The recipient's number is refused as not a valid phone number. */
        INVALID_TO,
        /** The sender is refused: not a number or sender id of the account, or not verified for sending. */
        UNVERIFIED_FROM,
        /** The credentials are refused. */
        AUTH_FAILURE,
        /** Too many requests. */
        RATE_LIMITED,
        /** The provider failed on its side. */
        SERVER_ERROR,
        /** No answer at all within the provider's timeout. */
        TIMEOUT
    }

    /** The number the kit's messages come from. */
    protected static final String FROM = "+14155550100";
    /** The number the kit's messages go to. */
    protected static final String TO = "+14155550123";
    /** The messaging service the kit's service messages go through. */
    protected static final String MESSAGING_SERVICE_SID = "MG9752274e9e519418a7406176694466fa";

    /** The provider under test, pointed at the local server, with a timeout of at most two seconds. */
    protected abstract SmsProvider provider();

    /** Makes the local server give {@code answer} to the next request. */
    protected abstract void willAnswer(Answer answer);

    /** The message the local server received in its oldest unread request, read from the provider's wire format. */
    protected abstract ReceivedSms received() throws Exception;

    /** The provider message id the server gives with {@link Answer#ACCEPTED}. */
    protected abstract String acceptedId();

    /** The provider's own error text in its answer for {@code answer}, which the exception must carry. */
    protected abstract String errorText(Answer answer);

    /** The status code the provider's answer for {@code answer} has (0 for a timeout). */
    protected abstract int statusCode(Answer answer);

    /** The secrets the provider was built with, which its {@code toString()} must not show. */
    protected abstract List<String> secrets();

    /** The simplest message: a text from a number. */
    protected OutgoingSms plainSms() {
        return sms(TO, FROM, "", "Your code is 482913", List.of(), "", 0);
    }

    /** An MMS with every part a provider may carry: text, two media, a status callback, a validity period. */
    protected OutgoingSms fullMms() {
        return sms(TO, FROM, "", "Your receipt, order A-1042 — €12.50 ✓",
                List.of("https://cdn.acme.example/receipts/A-1042.png", "https://cdn.acme.example/logo.jpg?size=2x&v=3"),
                "https://hooks.acme.example/sms/status?tenant=acme", 600);
    }

    /** A text sent through a messaging service, which picks the sender. */
    protected OutgoingSms serviceSms() {
        return sms(TO, "", MESSAGING_SERVICE_SID, "Your table is ready", List.of(), "", 0);
    }

    /** A message with the given parts, for tenant {@code acme}. */
    protected static OutgoingSms sms(String to, String from, String messagingServiceSid, String body,
            List<String> mediaUrls, String statusCallback, int validityPeriodSeconds) {
        MessageId id = MessageId.generate();
        return new OutgoingSms(id, TenantId.of("acme"), id.toString(), to, from, messagingServiceSid, body, mediaUrls,
                statusCallback, validityPeriodSeconds);
    }

    @Test
    void an_accepted_sms_returns_the_providers_message_id() {
        willAnswer(Answer.ACCEPTED);
        assertThat(provider().send(plainSms()).providerMessageId()).isEqualTo(acceptedId());
    }

    @Test
    void every_part_of_an_mms_reaches_the_provider() throws Exception {
        OutgoingSms mms = fullMms();
        willAnswer(Answer.ACCEPTED);
        provider().send(mms);

        assertThat(received()).isEqualTo(new ReceivedSms(mms.to(), mms.from(), "", mms.body(), mms.mediaUrls(),
                mms.statusCallback(), mms.validityPeriodSeconds()));
    }

    @Test
    void a_message_through_a_messaging_service_names_the_service_and_no_sender() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider().send(serviceSms());

        assertThat(received()).isEqualTo(new ReceivedSms(TO, "", MESSAGING_SERVICE_SID, "Your table is ready",
                List.of(), "", 0));
    }

    @Test
    void an_invalid_recipient_is_a_permanent_failure_with_the_providers_text() {
        assertFailure(Answer.INVALID_TO, false);
    }

    @Test
    void an_unverified_sender_is_a_permanent_failure() {
        assertFailure(Answer.UNVERIFIED_FROM, false);
    }

    @Test
    void refused_credentials_are_a_permanent_failure() {
        assertFailure(Answer.AUTH_FAILURE, false);
    }

    @Test
    void a_rate_limit_is_retryable() {
        assertFailure(Answer.RATE_LIMITED, true);
    }

    @Test
    void a_server_error_is_retryable() {
        assertFailure(Answer.SERVER_ERROR, true);
    }

    @Test
    void no_answer_within_the_timeout_is_retryable() {
        assertFailure(Answer.TIMEOUT, true);
    }

    @Test
    void its_name_is_a_lower_case_word() {
        assertThat(provider().name()).matches("[a-z][a-z0-9-]{1,31}");
    }

    @Test
    void its_text_form_hides_its_secrets() {
        String text = provider().toString();
        assertThat(secrets()).isNotEmpty().allSatisfy(secret -> assertThat(text).doesNotContain(secret));
    }

    @Test
    void eight_concurrent_sends_on_one_provider_all_succeed_and_each_reaches_it_once() throws Exception {
        int sends = 8;
        List<String> recipients = IntStream.range(0, sends).mapToObj(i -> "+1415555020" + i).toList();
        recipients.forEach(to -> willAnswer(Answer.ACCEPTED));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(sends);
        try {
            List<Future<SmsReceipt>> receipts = new ArrayList<>();
            for (String to : recipients) {
                OutgoingSms sms = sms(to, FROM, "", "Concurrent " + to, List.of(), "", 0);
                receipts.add(threads.submit(() -> {
                    start.await();
                    return provider().send(sms);
                }));
            }
            start.countDown();
            for (Future<SmsReceipt> receipt : receipts) {
                assertThat(receipt.get(10, TimeUnit.SECONDS).providerMessageId()).isEqualTo(acceptedId());
            }
        } finally {
            threads.shutdownNow();
        }
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < sends; i++) {
            reached.add(received().to());
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(recipients);
    }

    private void assertFailure(Answer answer, boolean retryable) {
        willAnswer(answer);
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider().send(plainSms()));
        assertThat(failure).as("a ProviderException for %s", answer).isNotNull();
        assertThat(failure.provider()).isEqualTo(provider().name());
        assertThat(failure.isRetryable()).as("retryable for %s", answer).isEqualTo(retryable);
        assertThat(failure.statusCode()).isEqualTo(statusCode(answer));
        assertThat(failure.getMessage()).contains(errorText(answer));
    }
}
