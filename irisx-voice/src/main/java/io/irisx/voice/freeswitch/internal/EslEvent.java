package io.irisx.voice.freeswitch.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One FreeSWITCH event, from a {@code text/event-plain} or {@code text/event-json} message: its headers (decoded, in
 * order) and its own body, if it has one (a {@code BACKGROUND_JOB}'s result); immutable.
 *
 * <p>A plain event's body is header lines whose values are URL-encoded ({@code Caller-Caller-ID-Name: Jane%20Doe}),
 * a blank line, and, when those headers carry {@code Content-Length}, that many bytes of the event's own body. A JSON
 * event's body is one object of strings, its own body under {@code _body}.
 *
 * @param headers the event's headers, {@code Event-Name} among them
 * @param body the event's own body, empty when it has none
 */
public record EslEvent(Map<String, String> headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the headers, keeping their order. */
    public EslEvent {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * The event {@code message} carries.
     *
     * @throws EslProtocolException when the message is not an event, its header lines are not {@code Name: value},
     *     a value is not URL-encoded, its JSON is not an object, or it names no {@code Event-Name}
     */
    public static EslEvent parse(EslMessage message) {
        Objects.requireNonNull(message, "message");
        EslEvent event = switch (message.contentType()) {
            case EslMessage.EVENT_PLAIN -> plain(message.body());
            case EslMessage.EVENT_JSON -> json(message.body());
            default -> throw new EslProtocolException("Content-Type must be " + EslMessage.EVENT_PLAIN + " or "
                    + EslMessage.EVENT_JSON + " for an event, was '"
                    + EslProtocolException.shown(message.contentType()) + "'");
        };
        if (event.name().isEmpty()) {
            throw new EslProtocolException("an event must have an Event-Name; it had the headers "
                    + EslProtocolException.shown(String.valueOf(event.headers.keySet())));
        }
        return event;
    }

    /** The {@code Event-Name} ({@code CHANNEL_ANSWER}). */
    public String name() {
        return headers.getOrDefault("Event-Name", "");
    }

    /** The header {@code name}, if present. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The channel's {@code Unique-ID}, if the event concerns a channel. */
    public Optional<String> uniqueId() {
        return header("Unique-ID");
    }

    /** The channel variable {@code name} the event carries as {@code variable_<name>}, if it does. */
    public Optional<String> variable(String name) {
        return header("variable_" + name);
    }

    @Override
    public String toString() {
        return "EslEvent[" + name() + uniqueId().map(id -> " " + id).orElse("") + "]";
    }

    private static EslEvent plain(String text) {
        int blank = text.indexOf("\n\n");
        String block = blank < 0 ? text : text.substring(0, blank);
        while (block.endsWith("\n")) {
            block = block.substring(0, block.length() - 1);
        }
        Map<String, String> raw = block.isEmpty() ? Map.of() : EslDecoder.headers(block);
        Map<String, String> headers = new LinkedHashMap<>();
        raw.forEach((name, value) -> headers.put(name, decode(name, value)));
        int length = EslDecoder.contentLength(headers);
        if (length == 0) {
            return new EslEvent(headers, "");
        }
        byte[] rest = blank < 0 ? new byte[0] : text.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
        if (rest.length < length) {
            throw new EslProtocolException("the event's Content-Length is " + length + " but its body holds "
                    + rest.length + " bytes");
        }
        return new EslEvent(headers, new String(rest, 0, length, StandardCharsets.UTF_8));
    }

    private static EslEvent json(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new EslProtocolException("a text/event-json body must be a JSON object, it is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new EslProtocolException("a text/event-json body must be a JSON object, was '"
                    + EslProtocolException.shown(text) + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String body = "";
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String value = field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString();
            if (field.getKey().equals("_body")) {
                body = value;
            } else {
                headers.put(field.getKey(), value);
            }
        }
        return new EslEvent(headers, body);
    }

    /**
     * {@code value} with each {@code %XX} replaced by its byte, read as UTF-8; {@code +} stays a plus, as FreeSWITCH
     * encodes a space as {@code %20}.
     */
    static String decode(String name, String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '%') {
                out.write(bytes[i]);
                continue;
            }
            int high = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
            int low = high < 0 ? -1 : Character.digit(bytes[i + 2], 16);
            if (low < 0) {
                throw new EslProtocolException("the event header " + name + " is not URL-encoded: '"
                        + EslProtocolException.shown(value) + "' has a '%' not followed by two hex digits");
            }
            out.write(high * 16 + low);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
