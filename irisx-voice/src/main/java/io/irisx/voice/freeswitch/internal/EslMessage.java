package io.irisx.voice.freeswitch.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of the Event Socket as framed on the wire: its headers, in order, and its body (the
 * {@code Content-Length} bytes after the blank line, as UTF-8, empty without one); immutable. A command the client
 * sends is framed the same way, its command line the first header line.
 *
 * @param headers the headers, names as sent, in order
 * @param body the body, empty when the message has none
 */
public record EslMessage(Map<String, String> headers, String body) {

    /** An {@code auth/request}: FreeSWITCH asks for the password. */
    public static final String AUTH_REQUEST = "auth/request";
    /** A {@code command/reply}: the answer to a command, in {@code Reply-Text}. */
    public static final String COMMAND_REPLY = "command/reply";
    /** An {@code api/response}: the output of an {@code api} command, in the body. */
    public static final String API_RESPONSE = "api/response";
    /** An event as header lines, URL-encoded. */
    public static final String EVENT_PLAIN = "text/event-plain";
    /** An event as a JSON object. */
    public static final String EVENT_JSON = "text/event-json";
    /** FreeSWITCH is closing the socket. */
    public static final String DISCONNECT_NOTICE = "text/disconnect-notice";
    /** A log line, sent after the {@code log} command. */
    public static final String LOG_DATA = "log/data";
    /** FreeSWITCH refused the connection (its ACL). */
    public static final String RUDE_REJECTION = "text/rude-rejection";

    /** Copies the headers, keeping their order. */
    public EslMessage {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The {@code Content-Type}, empty when the message has none (a command). */
    public String contentType() {
        return headers.getOrDefault("Content-Type", "");
    }

    /** The header {@code name}, if present. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The {@code Reply-Text} of a command reply, else empty. */
    public String replyText() {
        return headers.getOrDefault("Reply-Text", "");
    }

    /**
     * Whether the command or {@code api} command this answers succeeded: a reply whose {@code Reply-Text}, or a
     * response whose body, does not begin with {@code -ERR} (FreeSWITCH's {@code -USAGE} also counts as a failure).
     */
    public boolean isOk() {
        String text = API_RESPONSE.equals(contentType()) ? body : replyText();
        return !text.startsWith("-ERR") && !text.startsWith("-USAGE");
    }

    @Override
    public String toString() {
        // Bodies may hold call data: only the framing is shown.
        return "EslMessage[" + contentType() + ", " + headers.size() + " headers, " + body.length() + " body chars]";
    }
}
