package io.irisx.voice.freeswitch.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Event Socket messages as FreeSWITCH writes them, built by hand from the documentation
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Client-and-Developer-Interfaces/Event-Socket-Library/
 * and mod_event_socket's source): {@code Content-Type} header lines, a blank line, and a body whose byte length is in
 * {@code Content-Length} (which FreeSWITCH writes before {@code Content-Type} on events and API responses).
 */
public final class EslStreams {

    private EslStreams() {
    }

    public static String authRequest() {
        return "Content-Type: auth/request\n\n";
    }

    public static String reply(String text) {
        return "Content-Type: command/reply\nReply-Text: " + text + "\n\n";
    }

    public static String bgapiReply(String jobUuid) {
        return "Content-Type: command/reply\nReply-Text: +OK Job-UUID: " + jobUuid + "\nJob-UUID: " + jobUuid + "\n\n";
    }

    public static String api(String body) {
        return "Content-Type: api/response\nContent-Length: " + bytes(body) + "\n\n" + body;
    }

    public static String disconnect() {
        String body = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";
        return "Content-Type: text/disconnect-notice\nContent-Length: " + bytes(body) + "\n\n" + body;
    }

    public static String log(String line) {
        return "Content-Type: log/data\nContent-Length: " + bytes(line) + "\nLog-Level: 7\nText-Channel: 3\n"
                + "Log-File: switch_core_state_machine.c\nLog-Func: switch_core_session_run\nLog-Line: 440\n"
                + "User-Data: \n\n" + line;
    }

    /** A plain event: its headers URL-encoded as FreeSWITCH's {@code switch_url_encode} does, and its own body. */
    public static String plain(Map<String, String> headers, String body) {
        StringBuilder inner = new StringBuilder();
        headers.forEach((name, value) -> inner.append(name).append(": ").append(encode(value)).append('\n'));
        if (!body.isEmpty()) {
            inner.append("Content-Length: ").append(bytes(body)).append('\n');
        }
        inner.append('\n').append(body);
        return "Content-Length: " + bytes(inner.toString()) + "\nContent-Type: text/event-plain\n\n" + inner;
    }

    /** A JSON event, its own body under {@code _body}. */
    public static String json(Map<String, String> headers, String body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (!body.isEmpty()) {
            all.put("Content-Length", String.valueOf(bytes(body)));
            all.put("_body", body);
        }
        String json = all.entrySet().stream().map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
        return "Content-Length: " + bytes(json) + "\nContent-Type: text/event-json\n\n" + json;
    }

    public static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    public static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Every byte outside {@code [A-Za-z0-9._-]} as {@code %XX}, as FreeSWITCH encodes event header values. */
    public static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                    || c == '_') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    public static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
