package io.irisx.messaging.internal;

import io.irisx.core.IrisxValidationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** The checks every channel's messages share: tags, metadata and idempotency keys. Not API. */
public final class Labels {

    /** The most tags a message may carry. */
    public static final int MAX_TAGS = 10;
    /** The most metadata entries a message may carry. */
    public static final int MAX_METADATA = 20;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private Labels() {
    }

    /** Adds {@code tag} to {@code tags} once: 1-64 letters, digits, dots, underscores or hyphens; at most 10. */
    public static void addTag(List<String> tags, String tag) {
        Objects.requireNonNull(tag, "tag");
        if (!LABEL.matcher(tag).matches()) {
            throw new IrisxValidationException("tags", tag, "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (!tags.contains(tag)) {
            if (tags.size() == MAX_TAGS) {
                throw new IrisxValidationException("tags", tag, "is one more than the " + MAX_TAGS + " tags allowed");
            }
            tags.add(tag);
        }
    }

    /** Puts a metadata entry: a key like a tag, a value of at most 500 characters; at most 20 entries. */
    public static void putMetadata(Map<String, String> metadata, String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!LABEL.matcher(key).matches()) {
            throw new IrisxValidationException("metadata", key, "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (value.length() > 500 || value.chars().anyMatch(Character::isISOControl)) {
            throw new IrisxValidationException("metadata." + key, value,
                    "must be at most 500 characters with no control characters");
        }
        if (!metadata.containsKey(key) && metadata.size() == MAX_METADATA) {
            throw new IrisxValidationException("metadata", key,
                    "is one more than the " + MAX_METADATA + " entries allowed");
        }
        metadata.put(key, value);
    }

    /** Checks an idempotency key: 1-255 characters with no control characters. */
    public static String idempotencyKey(String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255
                || idempotencyKey.chars().anyMatch(Character::isISOControl)) {
            throw new IrisxValidationException("idempotencyKey", idempotencyKey,
                    "must be 1-255 characters with no control characters");
        }
        return idempotencyKey;
    }
}
