package io.irisx.voice.freeswitch.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts the Event Socket's byte stream into {@link EslMessage}s, fed chunks as they arrive, however the stream was split
 * or joined on its way: a message is its header lines ({@code Name: value}, each ended by {@code \n}), a blank line,
 * and, when the headers carry {@code Content-Length}, that many bytes of body. Not thread-safe: one decoder per
 * connection, fed by its reader.
 *
 * <p>Framing follows FreeSWITCH's {@code mod_event_socket} and the Event Socket Library documentation
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Client-and-Developer-Interfaces/Event-Socket-Library/).
 * Header values are kept as sent; an event's own headers, in the body of a {@code text/event-plain} message, are
 * decoded by {@link EslEvent#parse}.
 */
public final class EslDecoder {

    /** The longest header block accepted: FreeSWITCH's are a few hundred bytes. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;
    /** The longest body accepted: an event with every channel variable is some tens of kilobytes. */
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private byte[] buffer = new byte[8192];
    private int start;
    private int end;
    /** Where the search for the blank line resumes, so a header block fed byte by byte is scanned once. */
    private int scanned;
    private Map<String, String> headers;
    private int bodyLength;

    /**
     * Takes {@code length} bytes of {@code chunk} from {@code offset} and returns the messages they complete, in
     * order; bytes of a message not yet complete are kept for the next call.
     *
     * @throws EslProtocolException when the stream breaks the framing: a header line without {@code ": "}, a
     *     {@code Content-Length} that is not a number of at most {@link #MAX_BODY_BYTES}, or a header block longer
     *     than {@link #MAX_HEADER_BYTES}; the decoder cannot be used again
     */
    public List<EslMessage> feed(byte[] chunk, int offset, int length) {
        append(chunk, offset, length);
        List<EslMessage> messages = new ArrayList<>();
        while (true) {
            if (headers == null) {
                // Blank lines between messages carry nothing.
                while (start < end && buffer[start] == '\n') {
                    start++;
                }
                scanned = Math.max(scanned, start);
                int blank = blankLine();
                if (blank < 0) {
                    if (end - start > MAX_HEADER_BYTES) {
                        throw new EslProtocolException("a header block is longer than " + MAX_HEADER_BYTES
                                + " bytes without a blank line; it begins '" + EslProtocolException.shown(
                                new String(buffer, start, Math.min(60, end - start), StandardCharsets.UTF_8)) + "'");
                    }
                    break;
                }
                headers = headers(new String(buffer, start, blank - start, StandardCharsets.UTF_8));
                start = blank + 2;
                scanned = start;
                bodyLength = contentLength(headers);
            }
            if (end - start < bodyLength) {
                break;
            }
            String body = new String(buffer, start, bodyLength, StandardCharsets.UTF_8);
            start += bodyLength;
            scanned = start;
            messages.add(new EslMessage(headers, body));
            headers = null;
            bodyLength = 0;
        }
        return messages;
    }

    /** Whether bytes of an unfinished message are held (a stream that ends now was cut mid-message). */
    public boolean hasPartial() {
        return headers != null || end > start;
    }

    /** The header lines of {@code block}, in order. */
    static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : block.split("\n", -1)) {
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                // A command line ("api status", "auth ClueCon") stands alone, as the first line of its message.
                if (headers.isEmpty() && !line.isEmpty()) {
                    headers.put(line, "");
                    continue;
                }
                throw new EslProtocolException("a header line must be 'Name: value', was '"
                        + EslProtocolException.shown(line) + "'");
            }
            headers.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return headers;
    }

    /** The {@code Content-Length} of {@code headers}, 0 without one. */
    static int contentLength(Map<String, String> headers) {
        String value = headers.get("Content-Length");
        if (value == null) {
            return 0;
        }
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) > MAX_BODY_BYTES) {
            throw new EslProtocolException("Content-Length must be a number of bytes from 0 to " + MAX_BODY_BYTES
                    + ", was '" + EslProtocolException.shown(value) + "'");
        }
        return Integer.parseInt(value);
    }

    private int blankLine() {
        for (int i = Math.max(scanned, start); i + 1 < end; i++) {
            if (buffer[i] == '\n' && buffer[i + 1] == '\n') {
                return i;
            }
        }
        scanned = Math.max(start, end - 1);
        return -1;
    }

    private void append(byte[] chunk, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > chunk.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " and length " + length + " do not fit a chunk of "
                    + chunk.length + " bytes");
        }
        if (start == end) {
            start = 0;
            end = 0;
            scanned = 0;
        }
        if (end + length > buffer.length) {
            int held = end - start;
            if (held + length <= buffer.length && start > 0) {
                System.arraycopy(buffer, start, buffer, 0, held);
            } else {
                byte[] larger = new byte[Math.max(buffer.length * 2, held + length)];
                System.arraycopy(buffer, start, larger, 0, held);
                buffer = larger;
            }
            scanned -= start;
            start = 0;
            end = held;
        }
        System.arraycopy(chunk, offset, buffer, end, length);
        end += length;
    }
}
