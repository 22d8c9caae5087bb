package io.irisx.voice.freeswitch.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The bytes of the commands an inbound client sends over the Event Socket: a command line, for {@code sendmsg} and
 * {@code bgapi} header lines after it, and a blank line. Values go on one line each, so none may hold a line break.
 */
public final class EslCommands {

    private EslCommands() {
    }

    /**
     * {@code line} followed by {@code headers} ({@code Name: value}), then the blank line that ends the command.
     *
     * @throws IllegalArgumentException when the line, a header name or a value is empty where it must not be or holds
     *     a line break, which would end the command early and let the rest be read as another command
     */
    public static byte[] frame(String line, Map<String, String> headers) {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(headers, "headers");
        check("command", line);
        if (line.isBlank()) {
            throw new IllegalArgumentException("command must not be blank");
        }
        StringBuilder out = new StringBuilder(line).append('\n');
        headers.forEach((name, value) -> {
            check("header name", name);
            check("header " + name, value);
            if (name.isEmpty() || name.contains(":")) {
                throw new IllegalArgumentException("a header name must be a word without ':', was '"
                        + EslProtocolException.shown(name) + "'");
            }
            out.append(name).append(": ").append(value).append('\n');
        });
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code line} alone, as a command. */
    public static byte[] frame(String line) {
        return frame(line, Map.of());
    }

    private static void check(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(field + " must not hold a line break, was '"
                    + EslProtocolException.shown(value) + "'");
        }
    }
}
