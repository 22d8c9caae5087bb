package io.irisx.messaging.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.OutgoingEmail;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The MIME structure {@link MimeEmails} writes (RFC 2045-2047, RFC 2046 §5.1 multipart/mixed and alternative,
 * RFC 2387 multipart/related, RFC 2392 Content-ID, RFC 5322 §3.6.4 Message-ID), read back by Jakarta Mail's parser.
 */
class MimeEmailsTest {

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Instant NOW = Instant.parse("2027-03-01T10:15:30Z");

    private static OutgoingEmail email(String text, String html, List<Attachment> attachments,
            Map<String, String> headers) {
        return new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "k",
                EmailAddress.of("billing@Acme.example", "Acme Facturation é"), List.of(EmailAddress.of("ada@example.com")),
                List.of(), List.of(EmailAddress.of("audit@acme.example")), List.of(), "Reçu — €12.50", text, html,
                attachments, headers, List.of(), Map.of());
    }

    private static MimeMessage roundTrip(OutgoingEmail email) throws Exception {
        return ReceivedMime.parse(MimeEmails.bytes(MimeEmails.message(SESSION, email, NOW)));
    }

    @Test
    void the_message_id_derives_from_the_irisx_id_and_the_senders_domain_and_is_the_same_on_every_build()
            throws Exception {
        OutgoingEmail email = email("Hi", "", List.of(), Map.of());
        String first = roundTrip(email).getMessageID();
        assertThat(first).isEqualTo("<" + email.id().value() + "@acme.example>");
        assertThat(roundTrip(email).getMessageID()).isEqualTo(first);
    }

    @Test
    void a_text_only_email_is_one_utf8_text_part_with_an_encoded_subject_and_no_bcc_header() throws Exception {
        MimeMessage message = roundTrip(email("Prix: €12.50", "", List.of(), Map.of()));
        assertThat(message.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(message.getContent()).isEqualTo("Prix: €12.50");
        assertThat(message.getSubject()).isEqualTo("Reçu — €12.50");
        assertThat(message.getHeader("Subject", null)).startsWith("=?UTF-8?");
        assertThat(message.getHeader("Bcc")).isNull();
        assertThat(message.getSentDate().toInstant()).isEqualTo(NOW);
        assertThat(ReceivedMime.addresses(message.getFrom()))
                .containsExactly(EmailAddress.of("billing@Acme.example", "Acme Facturation é"));
    }

    @Test
    void text_html_inline_parts_and_files_nest_as_mixed_alternative_related() throws Exception {
        Attachment file = Attachment.of("reçu.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.UTF_8));
        Attachment logo = Attachment.inline("logo", "logo.png", "image/png", new byte[] {1, 2, 3});
        MimeMessage message = roundTrip(email("text", "<img src=\"cid:logo\">", List.of(file, logo), Map.of()));

        assertThat(message.getContentType()).startsWith("multipart/mixed");
        Multipart mixed = (Multipart) message.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        Part alternative = mixed.getBodyPart(0);
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        Multipart bodies = (Multipart) alternative.getContent();
        assertThat(bodies.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(bodies.getBodyPart(1).getContentType()).startsWith("multipart/related");
        Multipart related = (Multipart) bodies.getBodyPart(1).getContent();
        assertThat(related.getBodyPart(0).getContentType()).startsWith("text/html");
        Part inline = related.getBodyPart(1);
        assertThat(inline.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(((jakarta.mail.internet.MimeBodyPart) inline).getContentID()).isEqualTo("<logo>");
        Part attached = mixed.getBodyPart(1);
        assertThat(attached.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attached.getFileName()).isEqualTo("reçu.pdf");
        assertThat(attached.getInputStream().readAllBytes()).isEqualTo(file.content());
    }

    @Test
    void without_an_html_body_an_inline_part_is_attached_like_a_file() throws Exception {
        Attachment logo = Attachment.inline("logo", "logo.png", "image/png", new byte[] {1, 2, 3});
        MimeMessage message = roundTrip(email("text", "", List.of(logo), Map.of()));
        Multipart mixed = (Multipart) message.getContent();
        assertThat(message.getContentType()).startsWith("multipart/mixed");
        assertThat(mixed.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("logo.png");
    }

    @Test
    void extra_headers_are_written_encoded_and_may_not_replace_the_messages_own() throws Exception {
        MimeMessage message = roundTrip(email("t", "", List.of(), Map.of("X-Campaign", "printemps é")));
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(message.getHeader("X-Campaign", null)))
                .isEqualTo("printemps é");
        assertThatThrownBy(() -> MimeEmails.message(SESSION, email("t", "", List.of(), Map.of("Message-ID", "<x@y>")), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Message-ID");
        assertThatThrownBy(() -> MimeEmails.message(SESSION, email("t", "", List.of(), Map.of("Bad Name", "v")), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad Name");
        assertThatThrownBy(() -> MimeEmails.message(SESSION, email("t", "", List.of(), Map.of("X-A", "a\r\nBcc: x")), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
    }

    @Test
    void long_subjects_display_names_and_header_values_are_folded_so_no_line_passes_998_characters()
            throws Exception {
        String subject = "S".repeat(998);
        String spacedSubject = "word ".repeat(199) + "end";
        String name = "N".repeat(998);
        String unicodeName = "Zoë ".repeat(249);
        String value = "v".repeat(900);
        for (String each : List.of(subject, spacedSubject)) {
            OutgoingEmail email = new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "k",
                    EmailAddress.of("billing@acme.example", name), List.of(EmailAddress.of("ada@example.com", unicodeName)),
                    List.of(EmailAddress.of("cc@example.com", name)), List.of(), List.of(), each, "t", "", List.of(),
                    Map.of("X-Long", value), List.of(), Map.of());
            byte[] bytes = MimeEmails.bytes(MimeEmails.message(SESSION, email, NOW));

            for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\r\n")) {
                assertThat(line.length()).as(line.length() > 60 ? line.substring(0, 60) : line).isLessThanOrEqualTo(998);
            }
            MimeMessage message = ReceivedMime.parse(bytes);
            assertThat(message.getSubject()).isEqualTo(each);
            assertThat(ReceivedMime.addresses(message.getFrom())).containsExactly(EmailAddress.of("billing@acme.example", name));
            assertThat(ReceivedMime.addresses(message.getRecipients(jakarta.mail.Message.RecipientType.TO)))
                    .containsExactly(EmailAddress.of("ada@example.com", unicodeName));
            assertThat(jakarta.mail.internet.MimeUtility.decodeText(
                    jakarta.mail.internet.MimeUtility.unfold(message.getHeader("X-Long", null)))).isEqualTo(value);
        }
    }
}
