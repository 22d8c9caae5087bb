package io.irisx.testkit.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EmailProvider} passes, as JUnit 5 tests run against a local server that speaks the
 * provider's documented wire format. A provider's test extends this kit, points {@link #provider()} at its server,
 * makes the server give each {@link Answer} in the provider's own words, and reads back what the server received.
 * JUnit makes an instance per test, so an instance is used by one test's thread only.
 *
 * <p>A provider of a host's own passes it as IRISX's Postmark provider does ({@code PostmarkProviderTest} in
 * irisx-testkit's tests, in full): with MockWebServer answering as Postmark's API documents,
 *
 * <pre>{@code
 * class PostmarkProviderTest extends EmailProviderContractKit {
 *
 *     private final MockWebServer server = new MockWebServer();
 *     private PostmarkProvider provider;
 *
 *     @BeforeEach
 *     void start() throws IOException {
 *         server.start(InetAddress.getByName("127.0.0.1"), 0);
 *         provider = PostmarkProvider.builder(TOKEN).baseUrl(server.url("/").toString())
 *                 .timeout(Duration.ofSeconds(1)).build();
 *     }
 *
 *     @AfterEach
 *     void stop() {
 *         provider.close();
 *         server.close();
 *     }
 *
 *     @Override
 *     protected EmailProvider provider() {
 *         return provider;
 *     }
 *
 *     @Override
 *     protected void willAnswer(Answer answer) {
 *         server.enqueue(switch (answer) {
 *             case ACCEPTED -> json(200, "{\"MessageID\":\"" + acceptedId() + "\",\"ErrorCode\":0}");
 *             case AUTH_FAILURE -> json(401, "{\"ErrorCode\":10,\"Message\":\"" + errorText(answer) + "\"}");
 *             // … each answer as Postmark gives it; TIMEOUT answers after the provider's timeout
 *         });
 *     }
 *
 *     @Override
 *     protected ReceivedEmail received() throws Exception {
 *         JsonNode body = JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
 *         // … each field of Postmark's request as a ReceivedEmail
 *     }
 *
 *     // acceptedId(), errorText(Answer), statusCode(Answer), secrets() and features() in Postmark's terms
 * }
 * }</pre>
 */
public abstract class EmailProviderContractKit {

    /** What the local server answers to the next send, each in the provider's documented format. */
    public enum Answer {
        /** The email is accepted; the answer carries {@link #acceptedId()}. */
        ACCEPTED,
        /** The sender's address or domain is refused (not verified, not allowed). */
        BAD_SENDER,
        /** The credentials are refused. */
        AUTH_FAILURE,
        /** Too many requests. */
        RATE_LIMITED,
        /** The provider failed on its side. */
        SERVER_ERROR,
        /** No answer at all within the provider's timeout. */
        TIMEOUT
    }

    /** What a provider can carry beyond the core of an email; the kit checks each one a provider declares. */
    public enum Feature {
        /** Attachments shown inline by content id. */
        INLINE_ATTACHMENTS,
        /** Extra headers. */
        HEADERS,
        /** Tags. */
        TAGS,
        /** Metadata. */
        METADATA,
        /** The idempotency key, so that a repeated send is not delivered twice. */
        IDEMPOTENCY_KEY
    }

    /** The provider under test, pointed at the local server, with a timeout of at most two seconds. */
    protected abstract EmailProvider provider();

    /** Makes the local server give {@code answer} to the next request. */
    protected abstract void willAnswer(Answer answer);

    /** The email the local server received in its last request, read from the provider's wire format. */
    protected abstract ReceivedEmail received() throws Exception;

    /** The provider message id the server gives with {@link Answer#ACCEPTED}. */
    protected abstract String acceptedId();

    /** The provider's own error text in its answer for {@code answer}, which the exception must carry. */
    protected abstract String errorText(Answer answer);

    /** The status code the provider's answer for {@code answer} has (0 for a timeout). */
    protected abstract int statusCode(Answer answer);

    /** The secrets the provider was built with, which its {@code toString()} must not show. */
    protected abstract List<String> secrets();

    /** The features beyond the core this provider carries. */
    protected abstract Set<Feature> features();

    /** An email with every part a provider may carry. */
    protected OutgoingEmail fullEmail() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Campaign", "spring-2027");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("order", "A-1042");
        return new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "order-A-1042-receipt",
                EmailAddress.of("billing@acme.example", "Acme Billing"),
                List.of(EmailAddress.of("ada@example.com", "Ada Lovelace"), EmailAddress.of("grace@example.org")),
                List.of(EmailAddress.of("cc@example.net", "Carbon Copy")),
                List.of(EmailAddress.of("audit@acme.example")),
                List.of(EmailAddress.of("support@acme.example", "Acme Support")),
                "Your receipt, order A-1042 — €12.50",
                "Thank you for your order.\nTotal: €12.50",
                "<p>Thank you for your order.</p><p>Total: <b>€12.50</b></p><img src=\"cid:logo\">",
                List.of(Attachment.of("receipt.pdf", "application/pdf", "%PDF-1.4 receipt".getBytes(StandardCharsets.UTF_8)),
                        Attachment.inline("logo", "logo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2})),
                headers, List.of("receipts"), metadata);
    }

    /** The simplest email: one recipient, a subject, a text body. */
    protected OutgoingEmail plainEmail() {
        return new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "plain-1",
                EmailAddress.of("billing@acme.example"), List.of(EmailAddress.of("ada@example.com")), List.of(),
                List.of(), List.of(), "Hello", "Hello Ada", "", List.of(), Map.of(), List.of(), Map.of());
    }

    @Test
    void an_accepted_email_returns_the_providers_message_id() {
        willAnswer(Answer.ACCEPTED);
        assertThat(provider().send(plainEmail()).providerMessageId()).isEqualTo(acceptedId());
    }

    @Test
    void every_core_part_of_the_email_reaches_the_provider() throws Exception {
        OutgoingEmail email = fullEmail();
        willAnswer(Answer.ACCEPTED);
        provider().send(email);

        ReceivedEmail received = received();
        assertThat(received.from()).isEqualTo(email.from());
        assertThat(received.to()).containsExactlyElementsOf(email.to());
        assertThat(received.cc()).containsExactlyElementsOf(email.cc());
        assertThat(received.bcc()).extracting(EmailAddress::address)
                .containsExactlyElementsOf(email.bcc().stream().map(EmailAddress::address).toList());
        assertThat(received.replyTo()).extracting(EmailAddress::address)
                .containsExactlyElementsOf(email.replyTo().stream().map(EmailAddress::address).toList());
        assertThat(received.subject()).isEqualTo(email.subject());
        assertThat(received.text().replace("\r\n", "\n")).isEqualTo(email.text());
        assertThat(received.html().replace("\r\n", "\n")).isEqualTo(email.html());
        Attachment file = email.attachments().get(0);
        assertThat(received.attachments()).anySatisfy(a -> {
            assertThat(a.filename()).isEqualTo(file.filename());
            assertThat(a.contentType()).startsWith(file.contentType());
            assertThat(a.content()).isEqualTo(file.content());
        });
    }

    @Test
    void inline_attachments_keep_their_content_id() throws Exception {
        if (!features().contains(Feature.INLINE_ATTACHMENTS)) {
            return;
        }
        OutgoingEmail email = fullEmail();
        willAnswer(Answer.ACCEPTED);
        provider().send(email);
        Attachment logo = email.attachments().get(1);
        assertThat(received().attachments()).anySatisfy(a -> {
            assertThat(a.contentId()).isEqualTo("logo");
            assertThat(a.content()).isEqualTo(logo.content());
        });
    }

    @Test
    void declared_features_reach_the_provider() throws Exception {
        OutgoingEmail email = fullEmail();
        willAnswer(Answer.ACCEPTED);
        provider().send(email);
        ReceivedEmail received = received();
        Set<Feature> features = features().isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features());
        if (features.contains(Feature.HEADERS)) {
            assertThat(received.headers()).containsEntry("X-Campaign", "spring-2027");
        }
        if (features.contains(Feature.TAGS)) {
            assertThat(received.tags()).contains("receipts");
        }
        if (features.contains(Feature.METADATA)) {
            assertThat(received.metadata()).containsEntry("order", "A-1042");
        }
        if (features.contains(Feature.IDEMPOTENCY_KEY)) {
            assertThat(received.idempotencyKey()).isEqualTo(email.idempotencyKey());
        }
    }

    @Test
    void it_says_whether_it_honours_idempotency_keys() {
        assertThat(provider().acceptsIdempotencyKey()).isEqualTo(features().contains(Feature.IDEMPOTENCY_KEY));
    }

    @Test
    void a_refused_sender_is_a_permanent_failure_with_the_providers_text() {
        assertFailure(Answer.BAD_SENDER, false);
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

    private void assertFailure(Answer answer, boolean retryable) {
        willAnswer(answer);
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider().send(plainEmail()));
        assertThat(failure).as("a ProviderException for %s", answer).isNotNull();
        assertThat(failure.provider()).isEqualTo(provider().name());
        assertThat(failure.isRetryable()).as("retryable for %s", answer).isEqualTo(retryable);
        assertThat(failure.statusCode()).isEqualTo(statusCode(answer));
        assertThat(failure.getMessage()).contains(errorText(answer));
    }
}
