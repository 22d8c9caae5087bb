package io.irisx.messaging.email.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Reads the JSON bodies of provider webhooks: a field is named by its dotted path from the root
 * ({@code event-data.message.headers.message-id}), and one that is missing or of the wrong type is a
 * {@link MalformedWebhookException} naming the path. Thread-safe. Not API.
 */
public final class WebhookJson {

    /** A whole body must be one JSON value: trailing text is refused, not ignored. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Epoch seconds beyond which no provider's timestamp lies (year 9999); Instant cannot hold much more. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(253_402_300_799L);

    private WebhookJson() {
    }

    /**
     * The body as JSON.
     *
     * @throws MalformedWebhookException when it is not one JSON value
     */
    public static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new MalformedWebhookException("the body is empty; it must be JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedWebhookException("the body is not JSON (at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new MalformedWebhookException("the body could not be read as JSON: " + e.getClass().getSimpleName());
        }
    }

    /** The node at {@code path}; a missing node when any step is missing. */
    public static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String step : path.split("\\.")) {
            node = node.path(step);
        }
        return node;
    }

    /**
     * The object at {@code path}, or {@code root} itself for an empty path.
     *
     * @throws MalformedWebhookException when it is not an object
     */
    public static JsonNode object(JsonNode root, String path) {
        JsonNode node = path.isEmpty() ? root : at(root, path);
        if (!node.isObject()) {
            throw new MalformedWebhookException((path.isEmpty() ? "the value" : path) + " must be a JSON object");
        }
        return node;
    }

    /**
     * The text at {@code path}.
     *
     * @throws MalformedWebhookException when it is missing, not text, or blank
     */
    public static String text(JsonNode root, String path) {
        JsonNode node = at(root, path);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new MalformedWebhookException(path + " must be non-blank text");
        }
        return node.asText();
    }

    /**
     * The text or number at {@code path} as text, or empty text when it is missing or null.
     *
     * @throws MalformedWebhookException when it is an object, an array or a boolean
     */
    public static String optionalText(JsonNode root, String path) {
        JsonNode node = at(root, path);
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw new MalformedWebhookException(path + " must be text or a number");
        }
        return node.asText();
    }

    /** Whether the value at {@code path} is {@code true} (a JSON boolean, or the text "true"). */
    public static boolean isTrue(JsonNode root, String path) {
        JsonNode node = at(root, path);
        return node.isBoolean() ? node.booleanValue() : "true".equals(node.asText(""));
    }

    /**
     * The instant at {@code path}, given as seconds since the epoch: a number, or a decimal in text, with or without
     * a fraction (kept to the microsecond).
     *
     * @throws MalformedWebhookException when it is missing, not such a number, or out of range
     */
    public static Instant epochSeconds(JsonNode root, String path) {
        JsonNode node = at(root, path);
        BigDecimal seconds = null;
        if (node.isNumber()) {
            seconds = node.decimalValue();
        } else if (node.isTextual() && node.asText().matches("[0-9]{1,12}(\\.[0-9]{1,9})?")) {
            seconds = new BigDecimal(node.asText());
        }
        if (seconds == null || seconds.signum() < 0 || seconds.compareTo(MAX_SECONDS) > 0) {
            throw new MalformedWebhookException(path + " must be seconds since the epoch");
        }
        long whole = seconds.longValue();
        long micros = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(6).longValue();
        return Instant.ofEpochSecond(whole, micros * 1000);
    }
}
