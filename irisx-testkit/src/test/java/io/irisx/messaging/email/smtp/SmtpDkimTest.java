package io.irisx.messaging.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.secret.SecretSealer;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.testing.Dkimpy;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SmtpProvider} signing with DKIM, end to end: an email sent through GreenMail's SMTP server arrives with a
 * {@code DKIM-Signature} that dkimpy (Debian's python3-dkim, {@link Dkimpy}), a verifier independent of IRISX,
 * accepts with the key's DNS record, and refuses once a signed header is changed. The signature is RFC 6376's
 * (https://www.rfc-editor.org/rfc/rfc6376), {@code ed25519-sha256} RFC 8463's
 * (https://www.rfc-editor.org/rfc/rfc8463); the List-Unsubscribe pair is signed as RFC 8058 §4 requires
 * (https://www.rfc-editor.org/rfc/rfc8058#section-4).
 */
class SmtpDkimTest {

    private static final String SELECTOR = "mail2026";
    private static final String DOMAIN = "acme.example";

    private final GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
            .dynamicPort());

    @BeforeEach
    void start() {
        greenMail.start();
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void a_sent_email_arrives_signed_and_verifies(String algorithm) throws Exception {
        assumeTrue(Dkimpy.isInstalled(), "dkimpy (python3-dkim) is not installed; scripts/test installs it");
        KeyPair pair = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        SmtpProvider provider = provider(Dkim.builder(DOMAIN, SELECTOR, DkimKey.of(pair.getPrivate())).build());

        provider.send(email());

        String received = received();
        assertThat(received).contains("DKIM-Signature: v=1; a=" + algorithm.toLowerCase() + "-sha256;");
        Dkimpy.Verdict verdict = Dkimpy.verify(bytes(received), records(pair));
        assertThat(verdict.passed()).as("dkimpy: %s%non%n%s", verdict.output(), received).isTrue();
        String tampered = received.replace("<ada@example.com>", "<eve@example.com>");
        assertThat(tampered).isNotEqualTo(received);
        assertThat(Dkimpy.verify(bytes(tampered), records(pair)).passed()).as("a changed To").isFalse();
    }

    @Test
    void list_unsubscribe_and_every_other_listed_header_the_email_has_are_signed() throws Exception {
        assumeTrue(Dkimpy.isInstalled(), "dkimpy (python3-dkim) is not installed; scripts/test installs it");
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        provider(Dkim.builder(DOMAIN, SELECTOR, DkimKey.of(pair.getPrivate())).build()).send(email());

        String received = received();
        String field = received.substring(received.indexOf("DKIM-Signature:"));
        String h = field.substring(field.indexOf(" h=") + 3, field.indexOf(';', field.indexOf(" h=")))
                .replaceAll("\\s", "");
        assertThat(h).isEqualTo("From:To:Cc:Subject:Date:Message-ID:MIME-Version:Content-Type:Reply-To:"
                + "List-Unsubscribe:List-Unsubscribe-Post");
        String tampered = received.replace("https://acme.example/u/", "https://evil.example/u/");
        assertThat(tampered).isNotEqualTo(received);
        assertThat(Dkimpy.verify(bytes(received), records(pair)).passed()).isTrue();
        assertThat(Dkimpy.verify(bytes(tampered), records(pair)).passed()).as("a changed List-Unsubscribe").isFalse();
    }

    @Test
    void a_key_kept_sealed_in_the_hosts_configuration_signs_once_opened() throws Exception {
        assumeTrue(Dkimpy.isInstalled(), "dkimpy (python3-dkim) is not installed; scripts/test installs it");
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        SecretSealer sealer = SecretSealer.of(SealingKeys.generate("k1"));
        String sealed = sealer.seal(pem, "dkim:acme.example/mail2026");

        DkimKey key = DkimKey.fromSealed(sealed, "dkim:acme.example/mail2026", sealer);
        provider(Dkim.builder(DOMAIN, SELECTOR, key).build()).send(email());

        assertThat(Dkimpy.verify(bytes(received()), records(pair)).passed()).isTrue();
    }

    @Test
    void without_dkim_nothing_is_signed() throws Exception {
        SmtpProvider.builder("127.0.0.1", greenMail.getSmtp().getPort()).startTls(SmtpProvider.StartTls.OFF)
                .timeout(Duration.ofSeconds(5)).build().send(email());
        assertThat(received()).doesNotContain("DKIM-Signature");
    }

    private SmtpProvider provider(Dkim dkim) {
        return SmtpProvider.builder("127.0.0.1", greenMail.getSmtp().getPort())
                .startTls(SmtpProvider.StartTls.OFF)
                .timeout(Duration.ofSeconds(5))
                .dkim(dkim)
                .build();
    }

    /** The first copy GreenMail received, as its bytes: headers as they came, GreenMail's own Received on top. */
    private String received() throws Exception {
        assertThat(greenMail.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage message = greenMail.getReceivedMessages()[0];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> records(KeyPair pair) {
        return Map.of(Dkimpy.recordName(SELECTOR, DOMAIN), Dkimpy.keyRecord(pair.getPublic()));
    }

    private static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An email with every part a message can have: Cc, Bcc, Reply-To, text and HTML, files, the List-Unsubscribe pair. */
    private static OutgoingEmail email() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<https://acme.example/u/opaque-token>, <mailto:unsubscribe@acme.example>");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("X-Campaign", "spring-2027");
        return new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "receipt-1",
                EmailAddress.of("billing@acme.example", "Acme Billing"),
                List.of(EmailAddress.of("ada@example.com", "Ada Lovelace")),
                List.of(EmailAddress.of("cc@example.net")), List.of(EmailAddress.of("audit@acme.example")),
                List.of(EmailAddress.of("support@acme.example")), "Your receipt, order A-1042 — €12.50",
                "Thank you for your order.\nTotal: €12.50",
                "<p>Thank you for your order.</p><p>Total: <b>€12.50</b></p><img src=\"cid:logo\">",
                List.of(Attachment.of("receipt.pdf", "application/pdf", "%PDF-1.4 receipt".getBytes(StandardCharsets.UTF_8)),
                        Attachment.inline("logo", "logo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1})),
                headers, List.of(), Map.of());
    }
}
