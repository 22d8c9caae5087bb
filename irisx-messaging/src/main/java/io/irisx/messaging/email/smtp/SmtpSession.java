package io.irisx.messaging.email.smtp;

import io.irisx.core.ProviderException;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.DkimSigner;
import io.irisx.messaging.email.internal.MimeEmails;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jakarta Mail's side of {@link SmtpProvider}: the mail {@link Session}, and each send over a {@link Transport} of
 * its own; thread-safe. Kept apart from {@link SmtpProvider} so that the provider's own class loads without Angus
 * Mail, and its builder can say which artifact a host lacks.
 */
final class SmtpSession {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpProvider.class);
    private static final String NAME = SmtpProvider.NAME;

    private final String protocol;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final Clock clock;
    private final DkimSigner dkim;
    private final Session session;

    /**
     * A session with Jakarta Mail's {@code properties}, sending with {@code protocol} ({@code smtp} or
     * {@code smtps}), signing with {@code dkim} unless it is null.
     */
    SmtpSession(Properties properties, String protocol, String host, int port, String username, String password,
            Clock clock, DkimSigner dkim) {
        this.protocol = protocol;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.clock = clock;
        this.dkim = dkim;
        this.session = Session.getInstance(properties);
    }

    /** Sends {@code email} over a connection of its own. */
    EmailReceipt send(OutgoingEmail email) {
        MimeMessage message;
        try {
            Instant sentAt = clock.instant();
            message = MimeEmails.message(session, email, sentAt);
            if (dkim != null) {
                message = signed(message, sentAt);
            }
        } catch (MessagingException | IllegalArgumentException e) {
            throw new ProviderException(NAME, 0, null, false, "cannot build the MIME message: " + e.getMessage(), e);
        }
        InternetAddress[] recipients = Stream.of(email.to(), email.cc(), email.bcc())
                .flatMap(List::stream)
                .map(EmailAddress::address)
                .map(SmtpSession::envelopeAddress)
                .toArray(InternetAddress[]::new);
        Transport transport = null;
        try {
            transport = session.getTransport(protocol);
            transport.connect(host, port, username, password);
            transport.sendMessage(message, recipients);
        } catch (MessagingException e) {
            throw SmtpFailures.failure(NAME, e, transport);
        } finally {
            closeQuietly(transport);
        }
        String messageId = MimeEmails.messageId(email);
        LOG.debug("SMTP server {} accepted {} as {}{}", host, email.id(), messageId,
                dkim == null ? "" : ", DKIM-signed with " + dkim.algorithm());
        return new EmailReceipt(messageId);
    }

    /**
     * The message with its DKIM signature: signed over its bytes, and read back from the signed bytes, so that what
     * Jakarta Mail writes to the server is exactly what was signed (a message read from bytes is written as read).
     */
    private MimeMessage signed(MimeMessage message, Instant sentAt) throws MessagingException {
        byte[] signed = dkim.sign(MimeEmails.bytes(message), sentAt);
        return new MimeMessage(session, new ByteArrayInputStream(signed));
    }

    private static InternetAddress envelopeAddress(String address) {
        InternetAddress envelope = new InternetAddress();
        envelope.setAddress(address); // already checked by EmailAddress
        return envelope;
    }

    private static void closeQuietly(Transport transport) {
        if (transport == null || !transport.isConnected()) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException e) {
            // The message was sent or its failure already reported; a failed QUIT changes neither.
            LOG.debug("closing the SMTP connection failed: {}", e.toString());
        }
    }
}
