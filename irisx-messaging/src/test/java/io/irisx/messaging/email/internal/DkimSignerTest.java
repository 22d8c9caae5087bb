package io.irisx.messaging.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.testing.Dkimpy;
import jakarta.mail.Session;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DkimSigner} against the standards' own vectors and an independent verifier:
 * <ul>
 *   <li>RFC 8463 Appendix A (https://www.rfc-editor.org/rfc/rfc8463#appendix-A): its Ed25519 and RSA keys, its
 *       message, and the body hash and both signatures it publishes, reproduced byte for byte (Ed25519 and RSASSA-
 *       PKCS1-v1_5 are deterministic)</li>
 *   <li>RFC 6376 (https://www.rfc-editor.org/rfc/rfc6376): §3.5 the tags, §3.7 what the signature covers, §5.4.2
 *       several instances of a header</li>
 *   <li>dkimpy (Debian's python3-dkim, {@link Dkimpy}) verifying what IRISX signs, and refusing it once a signed
 *       header or the body is changed</li>
 * </ul>
 */
class DkimSignerTest {

    /** RFC 8463 A.1's Ed25519 secret key (the 32-byte seed), as PKCS#8: the fixed 16-byte prefix, then the seed. */
    static final PrivateKey RFC_ED25519 = key("Ed25519", concat(HexFormat.of().parseHex(
            "302e020100300506032b657004220420"), Base64.getDecoder().decode(
            "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")));
    /** RFC 8463 A.1's RSA secret key, published as PKCS#1; here as PKCS#8 ({@code openssl pkcs8 -topk8 -nocrypt}). */
    static final PrivateKey RFC_RSA = key("RSA", Base64.getMimeDecoder().decode("""
            MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAOQeU5CgFPNZGIaz
            lXo2k/eJ1jpaTTxrmqF1HrDLlt04pvaMtCJj8nXoliLRC/H9vJjMI1vdb3XLcW60
            AIN/PBD8EL97/y4GwJH7LPUvGP48vqUe+owqszesbiGy1PlCO8c70/OjFnJVgvMF
            87YR4Lcincb7aSvI5MgpP6X8rjDdAgMBAAECgYAfRzE6EVkODNdaEOGcAkPDmziu
            g5c3g6GOJdrxbtjeuFfcUmqYlI+4Lw329CbpJVtosAThIbmYsy54eWHgpd98Sm4s
            SI2n1Kzc7hh8uJCltGoTtOblLEqO+9Chll7MeiuKY5oKFEvaK3juK5bHPFKJEy/h
            z6PvQaJZ3FefF7hSgQJBAPMkH/RTnxbtFnLp6cZWPaRYXvfYKhYVlbOLUWJy52sE
            WjLrdDByjCmgJrMq29kYw2U9acLvH/qjwZy5J7SBrbECQQDwLs+Kk+bX/V9NFC+P
            Wj90OZmnbjfTjhk3LGOD78483ShYJtcgbHJa+ZlteuI5ahIAslOMTESCtocSCdey
            y6TtAkEAuXkgKxgy7qEzE7veCd81rI2A/F1YVXpntQucrJXsdJVgXSGBg4eN5h72
            Boy2IliijTMY34vcAC00/2G6qRaXMQJATVqWJwh5WWjV76onoyCqvRDsBrt9qVnj
            jxxxtIVgQ8PqgXGI6X1j2x72Jgdkop8hyy2jsNTDX+HPYKTg3kmuBQJBALIq942+
            POSR3weNizRLAzR8+MrXr//moNnZSIMac564TPEEMCvnXxnxUVtHjWKfdbhjfIIO
            BCUuVwROtL7Nhws="""));
    /** RFC 8463 A.2's key records. */
    static final Map<String, String> RFC_RECORDS = Map.of(
            "brisbane._domainkey.football.example.com",
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            "test._domainkey.football.example.com",
            "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi"
                    + "Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G"
                    + "+2kryOTIKT+l/K4w3QIDAQAB");
    /** RFC 8463 A.3's signed message. */
    static final byte[] RFC_MESSAGE = String.join("\r\n",
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=brisbane; t=1528637909; h=from : to :",
            " subject : date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus",
            " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=test; t=1528637909; h=from : to : subject :",
            " date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3",
            " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz",
            " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=",
            "From: Joe SixPack <joe@football.example.com>",
            "To: Suzie Q <suzie@shopping.example.net>",
            "Subject: Is dinner ready?",
            "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
            "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
            "",
            "Hi.",
            "",
            "We lost the game.  Are you hungry yet?",
            "",
            "Joe.",
            "").getBytes(StandardCharsets.US_ASCII);

    static final Instant SENT_AT = Instant.parse("2025-03-01T09:30:00Z");
    static final List<String> HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID", "MIME-Version",
            "Content-Type", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post");
    private static final Pattern TAG = Pattern.compile("(?:^|;)\\s*([a-z]+)\\s*=([^;]*)");

    static KeyPair rsa;
    static KeyPair ed25519;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @Nested
    class Rfc8463Vectors {

        @Test
        void the_body_hash_is_the_published_one() {
            DkimSigner.Parsed parsed = DkimSigner.parse(RFC_MESSAGE);
            assertThat(DkimSigner.bodyHash(RFC_MESSAGE, parsed.bodyStart()))
                    .isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
        }

        @Test
        void the_ed25519_signature_is_the_published_one() {
            assertThat(reproduce(0, DkimSigner.ED25519_SHA256, RFC_ED25519))
                    .isEqualTo("/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==");
        }

        @Test
        void the_rsa_signature_is_the_published_one() {
            assertThat(reproduce(1, DkimSigner.RSA_SHA256, RFC_RSA))
                    .isEqualTo("F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9m"
                            + "PYQTnGdaSGsgeefOsk2JzdA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1})
        void dkimpy_verifies_the_published_message_with_the_published_records(int index) {
            assumeTrue(Dkimpy.isInstalled(), "dkimpy (python3-dkim) is not installed; scripts/test installs it");
            assertThat(Dkimpy.verify(RFC_MESSAGE, index, RFC_RECORDS).passed()).isTrue();
        }

        /** Recomputes the {@code b=} of the message's signature at {@code index} from its own tags. */
        private String reproduce(int index, String algorithm, PrivateKey key) {
            List<DkimSigner.HeaderField> fields = DkimSigner.parse(RFC_MESSAGE).fields();
            DkimSigner.HeaderField signature = fields.stream()
                    .filter(f -> f.name().equalsIgnoreCase("DKIM-Signature")).toList().get(index);
            List<String> signed = Arrays.stream(tags(signature.raw()).get("h").split(":")).map(String::strip).toList();
            String withoutB = signature.raw().replaceFirst("(;\\s*b=)[^;]*$", "$1");
            List<DkimSigner.HeaderField> others = fields.stream()
                    .filter(f -> !f.name().equalsIgnoreCase("DKIM-Signature")).toList();
            return DkimSigner.signature(DkimSigner.headerData(others, signed, withoutB), algorithm, key);
        }
    }

    @Nested
    class VerifiedByDkimpy {

        @ParameterizedTest
        @ValueSource(strings = {"rsa", "ed25519"})
        void a_signed_email_verifies(String algorithm) throws Exception {
            KeyPair pair = pair(algorithm);
            byte[] signed = signer(pair).sign(mime(email(Map.of())), SENT_AT);
            assertThat(verify(signed, pair)).as("dkimpy on%n%s", text(signed)).isTrue();
            assertThat(tags(signatureField(signed))).containsEntry("a", algorithm + "-sha256")
                    .containsEntry("c", "relaxed/relaxed").containsEntry("d", "acme.example")
                    .containsEntry("s", "mail2027").containsEntry("t", Long.toString(SENT_AT.getEpochSecond()))
                    .containsEntry("v", "1").doesNotContainKeys("l", "x", "i");
        }

        @ParameterizedTest
        @ValueSource(strings = {"rsa", "ed25519"})
        void a_changed_signed_header_fails(String algorithm) throws Exception {
            KeyPair pair = pair(algorithm);
            String signed = text(signer(pair).sign(mime(email(Map.of())), SENT_AT));
            assertThat(verify(bytes(signed.replace("Subject: Your receipt", "Subject: Your refund")), pair)).isFalse();
            assertThat(verify(bytes(signed.replace("To: ada@example.com", "To: eve@example.com")), pair)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"rsa", "ed25519"})
        void a_changed_body_fails(String algorithm) throws Exception {
            KeyPair pair = pair(algorithm);
            String signed = text(signer(pair).sign(mime(email(Map.of())), SENT_AT));
            assertThat(signed).contains("Total: 12.50");
            assertThat(verify(bytes(signed.replace("Total: 12.50", "Total: 99.50")), pair)).isFalse();
        }

        @Test
        void what_relaxed_canonicalization_forgives_still_verifies() throws Exception {
            String signed = text(signer(ed25519).sign(mime(email(Map.of())), SENT_AT));
            String refolded = signed.replace("Subject: Your receipt", "SUBJECT:  \r\n\tYour   receipt")
                    .replace("Total: 12.50\r\n", "Total: \t 12.50  \r\n") + "\r\n\r\n";
            assertThat(verify(bytes(refolded), ed25519)).isTrue();
        }

        @Test
        void list_unsubscribe_headers_are_signed_when_present() throws Exception {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("List-Unsubscribe", "<https://acme.example/u/opaque-token>");
            headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            String signed = text(signer(rsa).sign(mime(email(headers)), SENT_AT));
            assertThat(tags(signatureField(bytes(signed))).get("h").replaceAll("\\s", ""))
                    .isEqualTo("From:To:Subject:Date:Message-ID:MIME-Version:Content-Type:List-Unsubscribe:"
                            + "List-Unsubscribe-Post");
            assertThat(verify(bytes(signed), rsa)).isTrue();
            assertThat(verify(bytes(signed.replace("/u/opaque-token", "/u/other-token")), rsa)).isFalse();
            assertThat(verify(bytes(signed.replace("List-Unsubscribe=One-Click", "List-Unsubscribe=Two-Click")), rsa))
                    .isFalse();
        }

        @Test
        void every_instance_of_a_signed_header_is_signed_bottom_up() throws Exception {
            byte[] message = bytes("From: a@acme.example\r\nX-Tag: one\r\nSubject: s\r\nX-Tag: two\r\n\r\nBody\r\n");
            DkimSigner signer = new DkimSigner("acme.example", "mail2027", ed25519.getPrivate(),
                    List.of("From", "X-Tag"));
            String signed = text(signer.sign(message, SENT_AT));
            assertThat(tags(signatureField(bytes(signed))).get("h").replaceAll("\\s", "")).isEqualTo("From:X-Tag:X-Tag");
            assertThat(verify(bytes(signed), ed25519)).isTrue();
            String swapped = signed.replace("X-Tag: one", "X-Tag: TMP").replace("X-Tag: two", "X-Tag: one")
                    .replace("X-Tag: TMP", "X-Tag: two");
            assertThat(verify(bytes(swapped), ed25519)).as("the instances' order is signed").isFalse();
        }

        private boolean verify(byte[] message, KeyPair pair) {
            assumeTrue(Dkimpy.isInstalled(), "dkimpy (python3-dkim) is not installed; scripts/test installs it");
            Dkimpy.Verdict verdict = Dkimpy.verify(message,
                    Map.of(Dkimpy.recordName("mail2027", "acme.example"), Dkimpy.keyRecord(pair.getPublic())));
            return verdict.passed();
        }
    }

    @Test
    void only_the_listed_headers_the_message_has_are_signed_from_always_among_them() throws Exception {
        String field = signer(ed25519).field(mime(email(Map.of("X-Campaign", "spring"))), SENT_AT);
        // The email has no Cc, Reply-To or List-Unsubscribe, and X-Campaign is not listed.
        assertThat(tags(field).get("h").replaceAll("\\s", ""))
                .isEqualTo("From:To:Subject:Date:Message-ID:MIME-Version:Content-Type");
        OutgoingEmail full = new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "k",
                EmailAddress.of("billing@acme.example"), List.of(EmailAddress.of("ada@example.com")),
                List.of(EmailAddress.of("cc@example.net")), List.of(EmailAddress.of("audit@acme.example")),
                List.of(EmailAddress.of("support@acme.example")), "Hi", "Hi", "", List.of(), Map.of(), List.of(),
                Map.of());
        assertThat(tags(signer(ed25519).field(mime(full), SENT_AT)).get("h").replaceAll("\\s", ""))
                .isEqualTo("From:To:Cc:Subject:Date:Message-ID:MIME-Version:Content-Type:Reply-To");
    }

    @Test
    void the_signature_field_is_folded_within_78_characters_and_goes_above_the_message() throws Exception {
        byte[] message = mime(email(Map.of()));
        byte[] signed = signer(rsa).sign(message, SENT_AT);
        String field = signatureField(signed);
        assertThat(text(signed)).startsWith("DKIM-Signature: v=1; a=rsa-sha256;")
                .endsWith(text(DkimSigner.crlf(message)));
        assertThat(field.split("\r\n")).hasSizeGreaterThan(3).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(78));
        assertThat(Arrays.asList(field.split("\r\n")).subList(1, field.split("\r\n").length))
                .allSatisfy(line -> assertThat(line).startsWith(" "));
    }

    @Test
    void bare_line_feeds_and_carriage_returns_are_signed_and_sent_as_crlf() {
        byte[] message = bytes("From: a@acme.example\nSubject: s\r\n\r\nOne\nTwo\rThree\r\n");
        String signed = text(signer(ed25519).sign(message, SENT_AT));
        assertThat(signed).endsWith("From: a@acme.example\r\nSubject: s\r\n\r\nOne\r\nTwo\r\nThree\r\n");
        assertThat(signed.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void a_message_without_from_is_refused() {
        DkimSigner signer = signer(ed25519);
        assertThatThrownBy(() -> signer.sign(bytes("To: a@example.com\r\n\r\nHi\r\n"), SENT_AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("From");
    }

    @Test
    void only_rsa_of_1024_bits_or_more_and_ed25519_keys_sign() throws Exception {
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(512);
        assertThatThrownBy(() -> DkimSigner.algorithm(small.generateKeyPair().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("512 bits").hasMessageContaining("1024");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        assertThatThrownBy(() -> DkimSigner.algorithm(ec.generateKeyPair().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RSA or Ed25519").hasMessageContaining("EC");
        assertThatThrownBy(() -> DkimSigner.algorithm(KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RSA or Ed25519");
        assertThat(DkimSigner.algorithm(RFC_RSA)).isEqualTo("rsa-sha256");
        assertThat(DkimSigner.algorithm(RFC_ED25519)).isEqualTo("ed25519-sha256");
    }

    static DkimSigner signer(KeyPair pair) {
        return new DkimSigner("acme.example", "mail2027", pair.getPrivate(), HEADERS);
    }

    static KeyPair pair(String algorithm) {
        return algorithm.equals("rsa") ? rsa : ed25519;
    }

    static OutgoingEmail email(Map<String, String> headers) {
        return new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "receipt-1",
                EmailAddress.of("billing@acme.example", "Acme Billing"), List.of(EmailAddress.of("ada@example.com")),
                List.of(), List.of(), List.of(), "Your receipt, order A-1042",
                "Thank you for your order.\nTotal: 12.50", "<p>Thank you for your order.</p><p>Total: 12.50</p>",
                List.of(Attachment.of("receipt.pdf", "application/pdf", "%PDF-1.4 receipt".getBytes(StandardCharsets.UTF_8))),
                headers, List.of(), Map.of());
    }

    /** The MIME message of {@code email} as Jakarta Mail writes it: its text body's line feeds are bare. */
    static byte[] mime(OutgoingEmail email) throws Exception {
        return MimeEmails.bytes(MimeEmails.message(Session.getInstance(new Properties()), email, SENT_AT));
    }

    /** The first DKIM-Signature field of {@code message}, as it is there. */
    static String signatureField(byte[] message) {
        return DkimSigner.parse(message).fields().stream().filter(f -> f.name().equals("DKIM-Signature"))
                .findFirst().orElseThrow().raw();
    }

    /** The tags of a DKIM-Signature field (or of its value), white space around values removed. */
    static Map<String, String> tags(String field) {
        String value = field.startsWith("DKIM-Signature:") ? field.substring("DKIM-Signature:".length()) : field;
        Map<String, String> tags = new LinkedHashMap<>();
        Matcher m = TAG.matcher(value);
        while (m.find()) {
            tags.put(m.group(1), m.group(2).strip());
        }
        return tags;
    }

    static String text(byte[] message) {
        return new String(message, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static PrivateKey key(String algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
