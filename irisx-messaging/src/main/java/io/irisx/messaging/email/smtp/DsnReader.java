package io.irisx.messaging.email.smtp;

import io.irisx.core.IrisxValidationException;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.email.ProviderEvent.Kind;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePartDataSource;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParsePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jakarta Mail's side of {@link SmtpBounces}: a raw message read as an RFC 3464 delivery status notification, and
 * its per-recipient fields as {@link ProviderEvent}s; thread-safe. Kept apart from {@link SmtpBounces} so that its
 * class loads without Angus Mail, and {@link SmtpBounces#of} can say which artifact a host lacks.
 */
final class DsnReader {

    private static final Pattern STATUS = Pattern.compile("([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?![0-9])");

    private final Session session = Session.getInstance(new Properties());

    /** The original email's {@code Message-ID} and the DSN's events, one per recipient. */
    record Read(String messageId, List<ProviderEvent> events) {
    }

    /**
     * The events of the DSN {@code raw}, dated by each recipient's {@code Last-Attempt-Date}, else the DSN's own
     * {@code Date}, else {@code now}.
     *
     * @throws IrisxValidationException when {@code raw} is not a DSN, or names no original {@code Message-ID}
     */
    Read read(byte[] raw, Instant now) {
        MimeMessage message;
        MimeMultipart report;
        try {
            message = new MimeMessage(session, new ByteArrayInputStream(raw));
            ContentType type = contentType(message.getContentType());
            if (!type.match("multipart/report")) {
                throw new IrisxValidationException("Content-Type", type.getBaseType(), "must be multipart/report:"
                        + " a delivery status notification is a multipart/report (RFC 6522) of report-type"
                        + " delivery-status (RFC 3464)");
            }
            String reportType = type.getParameter("report-type");
            if (reportType == null || !reportType.equalsIgnoreCase("delivery-status")) {
                throw new IrisxValidationException("report-type", reportType, "must be delivery-status: this"
                        + " multipart/report is another kind of report (RFC 3464 section 2.1)");
            }
            report = new MimeMultipart(new MimePartDataSource(message));
            Parts parts = parts(report);
            String messageId = originalMessageId(parts.original);
            List<Map<String, String>> groups = groups(parts.status);
            String dsnId = dsnId(message, parts.status);
            Optional<Instant> dated = Optional.ofNullable(message.getSentDate()).map(Date::toInstant);
            List<ProviderEvent> events = new ArrayList<>();
            int first = groups.isEmpty() || groups.get(0).containsKey("final-recipient") ? 0 : 1;
            for (int i = first; i < groups.size(); i++) {
                events.add(event(groups.get(i), i - first + 1, messageId, dsnId, dated.orElse(now)));
            }
            if (events.isEmpty()) {
                throw new IrisxValidationException("message/delivery-status", null, "has no per-recipient fields:"
                        + " a DSN reports at least one recipient (RFC 3464 section 2.3)");
            }
            return new Read(messageId, events);
        } catch (MessagingException | IOException e) {
            throw new IrisxValidationException("message", raw.length + " bytes", "is not a MIME message Jakarta"
                    + " Mail can read: " + e.getMessage());
        }
    }

    /** The report's delivery-status text and the original message's headers, when it returns them. */
    private record Parts(String status, InternetHeaders original) {
    }

    private static Parts parts(MimeMultipart report) throws MessagingException, IOException {
        String status = null;
        InternetHeaders original = null;
        for (int i = 0; i < report.getCount(); i++) {
            BodyPart part = report.getBodyPart(i);
            if (status == null && (part.isMimeType("message/delivery-status")
                    || part.isMimeType("message/global-delivery-status"))) {
                try (InputStream in = part.getInputStream()) {
                    status = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else if (original == null && (part.isMimeType("message/rfc822") || part.isMimeType("message/global")
                    || part.isMimeType("text/rfc822-headers") || part.isMimeType("message/global-headers"))) {
                try (InputStream in = part.getInputStream()) {
                    original = new InternetHeaders(in);
                }
            }
        }
        if (status == null) {
            throw new IrisxValidationException("message/delivery-status", null, "is missing: a delivery-status"
                    + " report carries its fields in a message/delivery-status part (RFC 3464 section 2.1)");
        }
        return new Parts(status, original);
    }

    private static String originalMessageId(InternetHeaders original) {
        String id = original == null ? null : original.getHeader("Message-ID", null);
        if (id == null || id.isBlank()) {
            throw new IrisxValidationException("Message-ID", null, "is not in the DSN: it returns no headers of the"
                    + " original message (a message/rfc822 or text/rfc822-headers part) with the Message-ID that"
                    + " identifies the email");
        }
        String unfolded = MimeUtility.unfold(id).strip();
        return unfolded.startsWith("<") ? unfolded : "<" + unfolded + ">";
    }

    /**
     * The groups of fields of the delivery-status text (RFC 3464 section 2.1): the per-message fields, then one group
     * per recipient, separated by blank lines; each field as RFC 5322 header fields are written, continuation lines
     * unfolded. Names are lower case; a repeated field keeps its first value.
     */
    static List<Map<String, String>> groups(String text) {
        List<Map<String, String>> groups = new ArrayList<>();
        Map<String, String> group = new LinkedHashMap<>();
        String last = null;
        boolean kept = false;
        for (String line : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            if (line.isBlank()) {
                if (!group.isEmpty()) {
                    groups.add(group);
                    group = new LinkedHashMap<>();
                }
                last = null;
            } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (last == null) {
                    throw new IrisxValidationException("message/delivery-status", line.strip(),
                            "continues no field (RFC 3464 section 2.1)");
                }
                if (kept) {
                    group.merge(last, " " + line.strip(), String::concat);
                }
            } else {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IrisxValidationException("message/delivery-status", line,
                            "is not a field (name: value) of a delivery status notification (RFC 3464 section 2.1)");
                }
                last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                kept = group.putIfAbsent(last, line.substring(colon + 1).strip()) == null;
            }
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    /** The event of recipient {@code number}'s fields (RFC 3464 section 2.3). */
    private static ProviderEvent event(Map<String, String> fields, int number, String messageId, String dsnId,
            Instant dated) {
        String recipient = recipient(fields, number);
        String actionField = required(fields, "action", "Action", number, "2.3.3");
        String action = actionField.split("[\\s(;]", 2)[0].toLowerCase(Locale.ROOT);
        String statusField = required(fields, "status", "Status", number, "2.3.4");
        Matcher status = STATUS.matcher(statusField);
        if (!status.lookingAt()) {
            throw new IrisxValidationException("Status", statusField, "of recipient " + number + " must be a status"
                    + " code such as 5.1.1 (RFC 3464 section 2.3.4, RFC 3463)");
        }
        String code = status.group();
        Kind kind = switch (action) {
            case "delivered", "relayed", "expanded" -> Kind.DELIVERED;
            case "delayed" -> Kind.DEFERRED;
            // A permanent failure is a hard bounce; a failure with a transient (or contradictory) status is soft.
            case "failed" -> code.startsWith("5") ? Kind.HARD_BOUNCE : Kind.SOFT_BOUNCE;
            default -> throw new IrisxValidationException("Action", actionField, "of recipient " + number
                    + " must be failed, delayed, delivered, relayed or expanded (RFC 3464 section 2.3.3)");
        };
        // Unfolded, and its runs of spaces made one: a diagnostic is text for people (RFC 3464 section 2.3.6).
        String diagnostic = fields.getOrDefault("diagnostic-code", "").replaceAll("\\s+", " ").strip();
        String detail = action + " " + code + (diagnostic.isEmpty() ? "" : ": " + diagnostic);
        Instant at = date(fields.get("last-attempt-date")).orElse(dated);
        return ProviderEvent.builder(SmtpProvider.NAME, kind)
                .eventId("dsn:" + sha256(dsnId + "\n" + recipient + "\n" + action + "\n" + code))
                .providerMessageId(messageId)
                .recipient(recipient)
                .occurredAt(at)
                .detail(detail)
                .build();
    }

    /**
     * The address IRISX sent to: the {@code Original-Recipient} when the DSN gives it as an rfc822 address (RFC 3464
     * section 2.3.1), else the {@code Final-Recipient} (section 2.3.2, required), without its address type.
     */
    private static String recipient(Map<String, String> fields, int number) {
        String finalRecipient = required(fields, "final-recipient", "Final-Recipient", number, "2.3.2");
        String original = fields.get("original-recipient");
        boolean internet = original != null && original.strip().toLowerCase(Locale.ROOT).startsWith("rfc822")
                && original.indexOf(';') > 0;
        String field = internet ? original : finalRecipient;
        int semicolon = field.indexOf(';');
        String address = (semicolon < 0 ? field : field.substring(semicolon + 1)).strip();
        if (address.startsWith("<") && address.endsWith(">")) {
            address = address.substring(1, address.length() - 1).strip();
        }
        if (address.isEmpty()) {
            throw new IrisxValidationException("Final-Recipient", field, "of recipient " + number
                    + " must be an address type and an address, e.g. rfc822;ada@example.com (RFC 3464 section 2.3.2)");
        }
        return address;
    }

    private static String required(Map<String, String> fields, String key, String field, int number,
            String section) {
        String value = fields.get(key);
        if (value == null || value.isBlank()) {
            throw new IrisxValidationException(field, null, "is missing from recipient " + number
                    + ": every recipient of a DSN has one (RFC 3464 section " + section + ")");
        }
        return value;
    }

    private static Optional<Instant> date(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Date date = new MailDateFormat().parse(text.strip(), new ParsePosition(0));
        return Optional.ofNullable(date).map(Date::toInstant);
    }

    /** What makes this DSN's event ids: its own {@code Message-ID}, else its delivery-status text. */
    private static String dsnId(MimeMessage message, String status) throws MessagingException {
        String id = message.getHeader("Message-ID", null);
        return id != null && !id.isBlank() ? "Message-ID " + MimeUtility.unfold(id).strip()
                : "delivery-status " + sha256(status);
    }

    private static ContentType contentType(String header) {
        try {
            return new ContentType(header == null ? "text/plain" : header);
        } catch (jakarta.mail.internet.ParseException e) {
            throw new IrisxValidationException("Content-Type", header, "is not a MIME content type: "
                    + e.getMessage());
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
