package io.irisx.messaging.email.internal;

import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.OutgoingEmail;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the MIME message of an {@link OutgoingEmail}, for the providers that send MIME (SMTP, AWS SES's raw
 * content); stateless and thread-safe. Not API.
 *
 * <p>The structure is the one mail clients write: {@code multipart/mixed} around the body and the attached files
 * (only when there are files), {@code multipart/alternative} around the text and HTML bodies (only when there are
 * both), and {@code multipart/related} around the HTML body and the parts it shows inline by {@code cid:}. Bcc
 * recipients are not written: they travel only in the envelope. The {@code Message-ID} is derived from the IRISX
 * message id, so every try of the same email carries the same one and receivers can drop a duplicate.
 */
public final class MimeEmails {

    /** Headers that the message's own fields and structure set, which an email's extra headers may not replace. */
    private static final Set<String> RESERVED = Set.of("from", "to", "cc", "bcc", "reply-to", "subject", "date",
            "message-id", "sender", "mime-version", "content-type", "content-transfer-encoding",
            "content-disposition", "content-id");
    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]{1,76}");
    /** The longest run without whitespace left as it is in a header: RFC 5322's recommended line length, 78, less CRLF. */
    private static final int LONGEST_WORD = 76;
    /** The bytes of one encoded word: 60 base64 characters, 72 with its =?UTF-8?B? and ?=. */
    private static final int WORD_BYTES = 45;

    private MimeEmails() {
    }

    /**
     * The {@code Message-ID} of {@code email}, with its angle brackets: {@code <msg_…@sender-domain>}. The
     * sender's domain on the right keeps the id globally unique in the form receivers expect.
     */
    public static String messageId(OutgoingEmail email) {
        return "<" + email.id().value() + "@" + email.from().domain().toLowerCase(Locale.ROOT) + ">";
    }

    /**
     * The MIME message of {@code email}, its headers final ({@link MimeMessage#saveChanges()} done), dated
     * {@code sentAt}.
     *
     * @throws MessagingException when Jakarta Mail cannot build it
     * @throws IllegalArgumentException when an extra header has an invalid name or replaces one the message sets
     */
    public static MimeMessage message(Session session, OutgoingEmail email, Instant sentAt)
            throws MessagingException {
        MimeMessage message = new FixedIdMessage(session, messageId(email));
        message.setFrom(address(email.from()));
        message.setRecipients(Message.RecipientType.TO, addresses(email.to()));
        if (!email.cc().isEmpty()) {
            message.setRecipients(Message.RecipientType.CC, addresses(email.cc()));
        }
        if (!email.replyTo().isEmpty()) {
            message.setReplyTo(addresses(email.replyTo()));
        }
        message.setHeader("Subject", MimeUtility.fold(9, foldable(email.subject())));
        message.setSentDate(Date.from(sentAt));
        for (Map.Entry<String, String> header : email.headers().entrySet()) {
            message.addHeader(checkHeader(header.getKey()), encodeHeader(header.getKey(), header.getValue()));
        }
        List<Attachment> inline = email.attachments().stream().filter(Attachment::isInline).toList();
        List<Attachment> files = email.attachments().stream().filter(a -> !a.isInline()).toList();
        if (!email.hasHtml()) {
            // Without an HTML body nothing refers to an inline part: it is attached like any file.
            files = email.attachments();
            inline = List.of();
        }
        Part body = files.isEmpty() ? message : new MimeBodyPart();
        writeBody(body, email, inline);
        if (!files.isEmpty()) {
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart((MimeBodyPart) body);
            for (Attachment file : files) {
                mixed.addBodyPart(attachment(file));
            }
            message.setContent(mixed);
        }
        message.saveChanges();
        return message;
    }

    /** The bytes of {@code message} as it goes on the wire (CRLF line ends). */
    public static byte[] bytes(MimeMessage message) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** The addresses as Jakarta Mail addresses, display names encoded in UTF-8 when they need it. */
    public static InternetAddress[] addresses(List<EmailAddress> addresses) {
        return addresses.stream().map(MimeEmails::address).toArray(InternetAddress[]::new);
    }

    private static InternetAddress address(EmailAddress address) {
        try {
            if (!address.name().isEmpty() && needsEncodedWords(address.name())) {
                // A name Jakarta Mail would write as one quoted word, too long to fold: encoded words fold between.
                return new EncodedNameAddress(address.address(), encodedWords(address.name()));
            }
            return address.name().isEmpty()
                    ? new InternetAddress(address.address(), null, "UTF-8")
                    : new InternetAddress(address.address(), address.name(), "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /**
     * Header text that folds into lines of at most 998 characters (RFC 5322 §2.1.1): Jakarta Mail's encoding of it,
     * except for ASCII text with a run too long to fold at a space, which Jakarta Mail would leave as one long word;
     * that is written as RFC 2047 encoded words, short enough to fold between.
     */
    static String foldable(String text) {
        if (needsEncodedWords(text)) {
            return encodedWords(text);
        }
        try {
            return MimeUtility.encodeText(text, StandardCharsets.UTF_8.name(), null);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** Whether {@code text} is ASCII (so left unencoded) with a run of more than 76 characters without whitespace. */
    private static boolean needsEncodedWords(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 127) {
                return false;
            }
            run = c == ' ' || c == '\t' ? 0 : run + 1;
            if (run > LONGEST_WORD) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} as base64 encoded words of 45 bytes each ({@code =?UTF-8?B?…?=}, 72 characters), spaced. */
    private static String encodedWords(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder words = new StringBuilder();
        for (int start = 0; start < bytes.length; start += WORD_BYTES) {
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, start, Math.min(bytes.length, start + WORD_BYTES));
            words.append(words.length() == 0 ? "" : " ").append("=?UTF-8?B?")
                    .append(java.util.Base64.getEncoder().encodeToString(chunk)).append("?=");
        }
        return words.toString();
    }

    private static void writeBody(Part part, OutgoingEmail email, List<Attachment> inline) throws MessagingException {
        if (email.hasText() && email.hasHtml()) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text(email.text(), "plain"));
            MimeBodyPart html = new MimeBodyPart();
            writeHtml(html, email.html(), inline);
            alternative.addBodyPart(html);
            part.setContent(alternative);
        } else if (email.hasHtml()) {
            writeHtml(part, email.html(), inline);
        } else {
            part.setContent(email.text(), "text/plain; charset=UTF-8");
        }
    }

    private static void writeHtml(Part part, String html, List<Attachment> inline) throws MessagingException {
        if (inline.isEmpty()) {
            part.setContent(html, "text/html; charset=UTF-8");
            return;
        }
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(text(html, "html"));
        for (Attachment attachment : inline) {
            related.addBodyPart(attachment(attachment));
        }
        part.setContent(related);
    }

    private static MimeBodyPart text(String text, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text, "UTF-8", subtype);
        return part;
    }

    private static MimeBodyPart attachment(Attachment attachment) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), attachment.contentType())));
        part.setFileName(attachment.filename());
        if (attachment.isInline()) {
            part.setDisposition(Part.INLINE);
            part.setContentID("<" + attachment.contentId().orElseThrow() + ">");
        } else {
            part.setDisposition(Part.ATTACHMENT);
        }
        return part;
    }

    private static String checkHeader(String name) {
        if (!HEADER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("header name '" + name
                    + "' is not a header name (1-76 printable ASCII characters without ':' or spaces)");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header '" + name
                    + "' is set from the email's own fields; set those instead of an extra header");
        }
        return name;
    }

    private static String encodeHeader(String name, String value) {
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("header '" + name + "' has a line break in its value");
        }
        return MimeUtility.fold(name.length() + 2, foldable(value));
    }

    /** An address whose display name is written as the encoded words given. */
    private static final class EncodedNameAddress extends InternetAddress {
        EncodedNameAddress(String address, String encodedName) throws UnsupportedEncodingException {
            super(address, MimeUtility.decodeText(encodedName));
            this.encodedPersonal = encodedName;
        }
    }

    /** A message whose {@code Message-ID} is the one given, not a new random one at every save. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
