package io.irisx.messaging.email.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * DKIM's "relaxed" canonicalization of header fields and of the body (RFC 6376 §3.4.2 and §3.4.4,
 * https://www.rfc-editor.org/rfc/rfc6376#section-3.4); stateless and thread-safe. Not API.
 *
 * <p>Header fields are handled as ISO-8859-1 text, one character per byte, so that whatever bytes a field holds are
 * hashed as they were sent.
 */
public final class DkimCanonicalization {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HTAB = '\t';

    private DkimCanonicalization() {
    }

    /**
     * The relaxed form of one header field, {@code name:value} without a line end: the name in lower case, the value
     * unfolded, each run of spaces and tabs made one space, and the white space at both ends of the value and before
     * the colon removed.
     *
     * @param field the field as it is in the message, name, colon and value with its folding, without its last CRLF
     * @throws IllegalArgumentException when the field has no colon
     */
    public static String relaxedHeader(String field) {
        int colon = field.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a header field needs a colon after its name");
        }
        String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        StringBuilder value = new StringBuilder(field.length() - colon);
        boolean space = false;
        for (int i = colon + 1; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\r' || c == '\n') {
                continue; // unfolding: the white space after a folding line end stays, and is reduced below
            }
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (space && value.length() > 0) {
                value.append(' ');
            }
            space = false;
            value.append(c);
        }
        return name + ":" + value;
    }

    /**
     * Writes the relaxed form of a body to {@code out}: spaces and tabs at the end of each line removed, each run of
     * them inside a line made one space, the empty lines at the end removed, and a CRLF added to a last line that has
     * none. An empty body (or one of empty lines only) writes nothing.
     *
     * @param message the bytes holding the body, lines ending in CRLF
     * @param from where the body starts in {@code message}; it runs to the end
     */
    public static void relaxedBody(byte[] message, int from, OutputStream out) {
        try {
            int emptyLines = 0; // empty lines seen and not written yet: written only when a non-empty line follows
            byte[] line = new byte[256];
            int start = from;
            while (start < message.length) {
                int end = lineEnd(message, start);
                if (line.length < end - start) {
                    line = new byte[end - start];
                }
                int length = reduce(message, start, end, line);
                if (length == 0) {
                    emptyLines++;
                } else {
                    for (; emptyLines > 0; emptyLines--) {
                        out.write(CR);
                        out.write(LF);
                    }
                    out.write(line, 0, length);
                    out.write(CR);
                    out.write(LF);
                }
                start = end + 2; // past the CRLF, or past the end of a last line without one
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the line starting at {@code start} ends: the index of its CRLF, else the end of the message. */
    private static int lineEnd(byte[] message, int start) {
        for (int i = start; i + 1 < message.length; i++) {
            if (message[i] == CR && message[i + 1] == LF) {
                return i;
            }
        }
        return message.length;
    }

    /** Copies the line's bytes to {@code out} with white space reduced and trailing white space removed. */
    private static int reduce(byte[] message, int start, int end, byte[] out) {
        int length = 0;
        boolean space = false;
        for (int i = start; i < end; i++) {
            byte b = message[i];
            if (b == SP || b == HTAB) {
                space = true;
                continue;
            }
            if (space) {
                out[length++] = SP;
                space = false;
            }
            out[length++] = b;
        }
        return length;
    }
}
