package io.irisx.messaging.email.smtp;

import io.irisx.core.ProviderException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Turns Jakarta Mail's failures into {@link ProviderException}s by the SMTP server's reply code (RFC 5321 §4.2.1):
 * a 4xx reply is transient, a 5xx one permanent; no reply at all (refused or dropped connection, timeout) is
 * transient. Stateless.
 */
final class SmtpFailures {

    private static final Pattern REPLY = Pattern.compile("(?s)^\\s*([2-5][0-9][0-9])[ -].*");
    private static final int MAX_TEXT = 2000;

    private SmtpFailures() {
    }

    static ProviderException failure(String provider, MessagingException e, Transport transport) {
        // The exception that names the command the server refused carries its code and its reply text.
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            int code = returnCode(cause);
            if (code > 0) {
                return of(provider, code, reply(cause.getMessage(), code), e);
            }
            if (cause instanceof AuthenticationFailedException && cause.getMessage() != null) {
                Matcher reply = REPLY.matcher(cause.getMessage());
                if (reply.matches()) {
                    return of(provider, Integer.parseInt(reply.group(1)), cause.getMessage().strip(), e);
                }
            }
        }
        if (hasCause(e, InterruptedIOException.class)) {
            return new ProviderException(provider, 0, null, true, "no answer within the timeout: " + text(e), e);
        }
        if (hasCause(e, IOException.class)) {
            return new ProviderException(provider, 0, null, true, "connection failed: " + text(e), e);
        }
        // A refused greeting or EHLO is reported without its code; the transport remembers the last reply.
        if (transport instanceof SMTPTransport smtp && smtp.getLastReturnCode() >= 400) {
            int code = smtp.getLastReturnCode();
            String last = smtp.getLastServerResponse();
            return of(provider, code, (last == null ? "" : last.strip() + " — ") + text(e), e);
        }
        // No server reply to go by (no common AUTH mechanism, STARTTLS required but not offered, …): a setting
        // to fix, which the same send will meet again.
        return new ProviderException(provider, 0, null, false, text(e), e);
    }

    private static ProviderException of(String provider, int code, String text, MessagingException e) {
        boolean retryable = code >= 400 && code < 500;
        return new ProviderException(provider, code, null, retryable, truncate(text), e);
    }

    private static int returnCode(Throwable e) {
        if (e instanceof SMTPSendFailedException failed) {
            return failed.getReturnCode();
        }
        if (e instanceof SMTPSenderFailedException failed) {
            return failed.getReturnCode();
        }
        if (e instanceof SMTPAddressFailedException failed) {
            return failed.getReturnCode();
        }
        return 0;
    }

    private static String reply(String message, int code) {
        return message == null || message.isBlank() ? "SMTP reply " + code : message.strip();
    }

    private static String text(Throwable e) {
        return truncate(e.getMessage() == null ? e.toString() : e.getMessage().strip());
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
