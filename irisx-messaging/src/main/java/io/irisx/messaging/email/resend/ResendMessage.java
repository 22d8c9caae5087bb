package io.irisx.messaging.email.resend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.irisx.core.ProviderException;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An email in Resend's {@code POST /emails} JSON, and the other parts of Resend's wire format. */
final class ResendMessage {

    /** Resend's limit for idempotency keys, tag names and tag values. */
    static final int MAX_KEY = 256;

    private ResendMessage() {
    }

    /** The JSON body of {@code POST /emails} for {@code email}. */
    static byte[] json(OutgoingEmail email) {
        ObjectNode root = ProviderHttp.JSON.createObjectNode();
        root.put("from", email.from().formatted());
        addresses(root, "to", email.to());
        addresses(root, "cc", email.cc());
        addresses(root, "bcc", email.bcc());
        addresses(root, "reply_to", email.replyTo());
        root.put("subject", email.subject());
        // Without "text" Resend derives a plain-text part from the HTML, which is what an email without one wants.
        if (email.hasText()) {
            root.put("text", email.text());
        }
        if (email.hasHtml()) {
            root.put("html", email.html());
        }
        if (!email.headers().isEmpty()) {
            ObjectNode headers = root.putObject("headers");
            email.headers().forEach(headers::put);
        }
        if (!email.attachments().isEmpty()) {
            ArrayNode attachments = root.putArray("attachments");
            for (Attachment attachment : email.attachments()) {
                ObjectNode node = attachments.addObject()
                        .put("filename", attachment.filename())
                        .put("content", Base64.getEncoder().encodeToString(attachment.content()))
                        .put("content_type", attachment.contentType());
                attachment.contentId().ifPresent(id -> node.put("content_id", id));
            }
        }
        Map<String, String> tags = tags(email.tags(), email.metadata());
        if (!tags.isEmpty()) {
            ArrayNode array = root.putArray("tags");
            tags.forEach((name, value) -> {
                ObjectNode tag = array.addObject().put("name", name);
                if (!value.isEmpty()) {
                    tag.put("value", value);
                }
            });
        }
        try {
            return ProviderHttp.JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ResendProvider.NAME, 0, null, false, "could not write the request: " + e, e);
        }
    }

    /**
     * Resend tags by name: each IRISX tag with an empty value, then each metadata entry with its value (replacing a tag
     * of the same name), both in Resend's alphabet. Names that come out empty are left out.
     */
    static Map<String, String> tags(List<String> tags, Map<String, String> metadata) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String tag : tags) {
            String name = tagText(tag);
            if (!name.isEmpty()) {
                result.putIfAbsent(name, "");
            }
        }
        metadata.forEach((key, value) -> {
            String name = tagText(key);
            if (!name.isEmpty()) {
                result.put(name, tagText(value));
            }
        });
        return result;
    }

    /** {@code text} in Resend's tag alphabet: ASCII letters, digits, {@code _} and {@code -}, at most 256 of them. */
    static String tagText(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_KEY));
        for (int i = 0; i < text.length() && out.length() < MAX_KEY; i++) {
            char c = text.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            out.append(allowed ? c : '_');
        }
        return out.toString();
    }

    /**
     * The email's idempotency key as Resend takes it: itself when it has 1-256 characters, its SHA-256 in hex when it
     * is longer, the message id when it is empty.
     */
    static String idempotencyKey(OutgoingEmail email) {
        String key = email.idempotencyKey().isEmpty() ? email.id().value() : email.idempotencyKey();
        if (key.length() <= MAX_KEY) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Resend's own text in an error answer {@code {"statusCode", "name", "message"}}: the message and the name. */
    static String errorText(JsonNode error) {
        String message = error.path("message").asText("");
        String name = error.path("name").asText("");
        if (message.isEmpty()) {
            return name.isEmpty() ? null : name;
        }
        return name.isEmpty() ? message : message + " (" + name + ")";
    }

    private static void addresses(ObjectNode root, String field, List<EmailAddress> addresses) {
        if (!addresses.isEmpty()) {
            ArrayNode array = root.putArray(field);
            addresses.forEach(address -> array.add(address.formatted()));
        }
    }
}
