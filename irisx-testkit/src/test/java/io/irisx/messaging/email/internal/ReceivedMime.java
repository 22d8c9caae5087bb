package io.irisx.messaging.email.internal;

import io.irisx.messaging.email.EmailAddress;
import io.irisx.testkit.email.ReceivedEmail;
import jakarta.mail.Address;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a MIME message as a test server received it (GreenMail's store, SES's raw content) back into a
 * {@link ReceivedEmail}, with Jakarta Mail's parser rather than {@link MimeEmails}, so that a test checks the
 * builder against an independent reading.
 */
public final class ReceivedMime {

    private ReceivedMime() {
    }

    /** Parses {@code mime}, the bytes of a message. */
    public static MimeMessage parse(byte[] mime) throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime));
    }

    /**
     * The email {@code message} holds; Bcc recipients, tags and metadata travel outside the MIME, so the caller
     * gives them. Its extra headers are those whose names start with {@code X-}.
     */
    public static ReceivedEmail read(MimeMessage message, List<EmailAddress> bcc, List<String> tags,
            Map<String, String> metadata) throws MessagingException, IOException {
        Body body = new Body();
        walk(message, body);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : Collections.list(message.getAllHeaders())) {
            if (header.getName().regionMatches(true, 0, "X-", 0, 2)) {
                headers.put(header.getName(), MimeUtility.decodeText(MimeUtility.unfold(header.getValue())));
            }
        }
        return new ReceivedEmail(addresses(message.getFrom()).get(0),
                addresses(message.getRecipients(Message.RecipientType.TO)),
                addresses(message.getRecipients(Message.RecipientType.CC)), bcc,
                addresses(message.getHeader("Reply-To") == null ? null : message.getReplyTo()),
                message.getSubject(), body.text, body.html, body.attachments, headers, tags, metadata, "");
    }

    /** The addresses, display names decoded. */
    public static List<EmailAddress> addresses(Address[] addresses) {
        List<EmailAddress> list = new ArrayList<>();
        if (addresses != null) {
            for (Address address : addresses) {
                InternetAddress internet = (InternetAddress) address;
                list.add(EmailAddress.of(internet.getAddress(),
                        internet.getPersonal() == null ? "" : internet.getPersonal()));
            }
        }
        return list;
    }

    private static final class Body {
        String text = "";
        String html = "";
        final List<ReceivedEmail.Received> attachments = new ArrayList<>();
    }

    private static void walk(Part part, Body body) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                walk(multipart.getBodyPart(i), body);
            }
        } else if (part.getFileName() != null || part.getDisposition() != null) {
            String contentId = ((MimePart) part).getContentID();
            try (InputStream in = part.getInputStream()) {
                body.attachments.add(new ReceivedEmail.Received(part.getFileName(), part.getContentType(),
                        in.readAllBytes(), contentId == null ? "" : contentId.replaceAll("^<|>$", "")));
            }
        } else if (part.isMimeType("text/plain")) {
            body.text = (String) part.getContent();
        } else if (part.isMimeType("text/html")) {
            body.html = (String) part.getContent();
        }
    }
}
