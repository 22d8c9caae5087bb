package io.irisx.messaging.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.irisx.core.ProviderException;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.MimeEmails;
import io.irisx.messaging.email.internal.ReceivedMime;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.testkit.email.EmailProviderContractKit;
import io.irisx.testkit.email.ReceivedEmail;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SmtpProvider} against real SMTP: GreenMail for accepted email and failed authentication, and a scripted
 * server ({@link ScriptedSmtpServer}) for the other replies. The exchange and the reply codes follow
 * <ul>
 *   <li>RFC 5321 (https://www.rfc-editor.org/rfc/rfc5321): §3.3 the mail transaction (MAIL FROM, RCPT TO, DATA),
 *       §4.2 reply codes (4yz transient, 5yz permanent), §3.8 421 closes the connection</li>
 *   <li>RFC 3463 (https://www.rfc-editor.org/rfc/rfc3463) enhanced status codes: 5.7.1 sender refused, 4.7.0
 *       too many messages, 4.3.0 local error in processing</li>
 *   <li>RFC 4954 (https://www.rfc-editor.org/rfc/rfc4954) §6: 535 5.7.8 authentication credentials invalid</li>
 * </ul>
 * The scripted answers: a refused sender is {@code 550 5.7.1} to MAIL FROM; a rate limit is {@code 421 4.7.0 Too
 * many messages} to MAIL FROM, then the server closes; a server error is {@code 451 4.3.0} after the message's
 * final dot; a timeout is a server that accepts the connection and never greets.
 */
class SmtpProviderTest extends EmailProviderContractKit {

    private static final String PASSWORD = "s3cret-relay-password";

    private final GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
            .dynamicPort());
    private ScriptedSmtpServer scripted;
    private SmtpProvider provider;

    @BeforeEach
    void start() {
        greenMail.start();
        provider = greenMailProvider().build();
    }

    @AfterEach
    void stop() throws Exception {
        greenMail.stop();
        if (scripted != null) {
            scripted.close();
        }
    }

    private SmtpProvider.Builder greenMailProvider() {
        return SmtpProvider.builder("127.0.0.1", greenMail.getSmtp().getPort())
                .startTls(SmtpProvider.StartTls.OFF)
                .timeout(Duration.ofSeconds(1));
    }

    private SmtpProvider.Builder scriptedProvider() {
        return SmtpProvider.builder("127.0.0.1", scripted.port())
                .startTls(SmtpProvider.StartTls.WHEN_OFFERED)
                .timeout(Duration.ofSeconds(1));
    }

    @Override
    protected EmailProvider provider() {
        return provider;
    }

    @Override
    protected void willAnswer(Answer answer) {
        try {
            switch (answer) {
                case ACCEPTED -> provider = greenMailProvider().build();
                case AUTH_FAILURE -> {
                    greenMail.setUser("relay@acme.example", "relay", PASSWORD);
                    provider = greenMailProvider().credentials("relay", "wrong-password").build();
                }
                case BAD_SENDER -> script(ScriptedSmtpServer.Step.MAIL,
                        "550 5.7.1 <billing@acme.example>: Sender address rejected: not owned by user");
                case RATE_LIMITED -> script(ScriptedSmtpServer.Step.MAIL,
                        "421 4.7.0 Too many messages, try again later");
                case SERVER_ERROR -> script(ScriptedSmtpServer.Step.DATA_END,
                        "451 4.3.0 Error: queue file write error");
                case TIMEOUT -> script(ScriptedSmtpServer.Step.NEVER_GREET, "");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void script(ScriptedSmtpServer.Step step, String reply) throws java.io.IOException {
        scripted = new ScriptedSmtpServer(step, reply);
        provider = scriptedProvider().build();
    }

    @Override
    protected ReceivedEmail received() throws Exception {
        assertThat(greenMail.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage[] copies = greenMail.getReceivedMessages();
        MimeMessage message = copies[0];
        // GreenMail keeps one copy per envelope recipient: those named in no header were Bcc.
        Set<String> shown = new HashSet<>();
        for (EmailAddress a : ReceivedMime.addresses(message.getAllRecipients())) {
            shown.add(a.address());
        }
        List<EmailAddress> bcc = greenMail.getUserManager().listUser().stream()
                .map(user -> user.getEmail())
                .filter(address -> !shown.contains(address))
                .sorted()
                .map(EmailAddress::of)
                .toList();
        return ReceivedMime.read(message, bcc, List.of(), Map.of());
    }

    @Override
    protected String acceptedId() {
        // The Message-ID the provider sent, which the kit's plain email's id determines: read back from GreenMail.
        try {
            assertThat(greenMail.waitForIncomingEmail(5000, 1)).isTrue();
            return greenMail.getReceivedMessages()[0].getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected String errorText(Answer answer) {
        return switch (answer) {
            case BAD_SENDER -> "550 5.7.1 <billing@acme.example>: Sender address rejected: not owned by user";
            case AUTH_FAILURE -> "Authentication credentials invalid";
            case RATE_LIMITED -> "421 4.7.0 Too many messages, try again later";
            case SERVER_ERROR -> "451 4.3.0 Error: queue file write error";
            case TIMEOUT -> "no answer within the timeout";
            case ACCEPTED -> throw new IllegalArgumentException("accepted");
        };
    }

    @Override
    protected int statusCode(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> 250;
            case BAD_SENDER -> 550;
            case AUTH_FAILURE -> 535;
            case RATE_LIMITED -> 421;
            case SERVER_ERROR -> 451;
            case TIMEOUT -> 0;
        };
    }

    @Override
    protected List<String> secrets() {
        return List.of(PASSWORD);
    }

    @Override
    protected Set<Feature> features() {
        return Set.of(Feature.INLINE_ATTACHMENTS, Feature.HEADERS);
    }

    @Test
    void its_text_form_hides_the_password_it_authenticates_with() {
        assertThat(greenMailProvider().credentials("relay", PASSWORD).build().toString())
                .contains("relay").doesNotContain(PASSWORD);
    }

    @Test
    void the_receipt_is_the_message_id_header_it_sent() throws Exception {
        OutgoingEmail email = fullEmail();
        String id = provider.send(email).providerMessageId();
        assertThat(id).isEqualTo(MimeEmails.messageId(email)).isEqualTo("<" + email.id() + "@acme.example>");
        assertThat(greenMail.waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(greenMail.getReceivedMessages()[0].getMessageID()).isEqualTo(id);
    }

    @Test
    void the_envelope_sender_is_the_from_address_and_every_recipient_bcc_included_is_an_envelope_recipient()
            throws Exception {
        script(ScriptedSmtpServer.Step.NONE, "");
        provider.send(fullEmail());
        assertThat(scripted.commands()).anyMatch(c -> c.startsWith("MAIL FROM:<billing@acme.example>"));
        assertThat(scripted.commands()).filteredOn(c -> c.startsWith("RCPT TO:")).containsExactly(
                "RCPT TO:<ada@example.com>", "RCPT TO:<grace@example.org>", "RCPT TO:<cc@example.net>",
                "RCPT TO:<audit@acme.example>");
    }

    @Test
    void bcc_recipients_get_the_email_without_a_bcc_header() throws Exception {
        provider.send(fullEmail());
        assertThat(received().bcc()).extracting(EmailAddress::address).containsExactly("audit@acme.example");
        assertThat(greenMail.getReceivedMessages()).as("one copy per envelope recipient").hasSize(4)
                .allSatisfy(copy -> assertThat(copy.getHeader("Bcc")).isNull());
    }

    @Test
    void a_refused_recipient_is_a_permanent_failure_with_its_code() throws Exception {
        script(ScriptedSmtpServer.Step.RCPT, "550 5.1.1 <ada@example.com>: Recipient address rejected: User unknown");
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(550);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("Recipient address rejected");
    }

    @Test
    void a_greylisted_recipient_is_retryable() throws Exception {
        script(ScriptedSmtpServer.Step.RCPT, "451 4.7.1 Service unavailable - try again later");
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(451);
        assertThat(failure.isRetryable()).isTrue();
    }

    @Test
    void a_server_refusing_to_greet_is_retryable_with_its_code_and_text() throws Exception {
        script(ScriptedSmtpServer.Step.GREETING, "421 4.3.2 Service not available, closing transmission channel");
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(421);
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.getMessage()).contains("Service not available");
    }

    @Test
    void a_refused_connection_is_retryable_without_a_status() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        SmtpProvider nowhere = SmtpProvider.builder("127.0.0.1", closedPort).timeout(Duration.ofSeconds(1)).build();
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> nowhere.send(plainEmail()));
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.statusCode()).isZero();
        assertThat(failure.getMessage()).contains("connection failed");
    }

    @Test
    void authentication_with_the_right_password_sends() {
        greenMail.setUser("relay@acme.example", "relay", PASSWORD);
        SmtpProvider authenticated = greenMailProvider().credentials("relay", PASSWORD).build();
        assertThat(authenticated.send(plainEmail()).providerMessageId()).startsWith("<msg_");
    }

    @Test
    void its_builder_refuses_bad_settings_at_once() {
        assertThatThrownBy(() -> SmtpProvider.builder("smtp.example.com", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port").hasMessageContaining("0");
        assertThatThrownBy(() -> SmtpProvider.builder("bad host", 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> SmtpProvider.builder("smtp.example.com", 25).credentials("u", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> SmtpProvider.builder("smtp.example.com", 25).readTimeout(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> SmtpProvider.builder("smtp.example.com", 465).implicitTls(true)
                .startTls(SmtpProvider.StartTls.REQUIRED).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("implicitTls");
    }
}
