package io.irisx.messaging.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.irisx.core.store.Jdbc;
import io.irisx.messaging.email.EmailAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text columns of the messaging tables: the JSON of address lists, headers, media, tags and metadata, and the
 * error and detail texts cut to their columns' width; the JSON is IRISX's shared mapper's ({@link Jdbc#json}). Not
 * API.
 */
public final class Columns {

    private static final TypeReference<List<Map<String, String>>> ADDRESSES = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };
    private static final String EMPTY_LIST = "[]";
    private static final String EMPTY_MAP = "{}";

    private Columns() {
    }

    /** Addresses as a JSON array of {@code {"address","name"}}. */
    public static String addresses(List<EmailAddress> addresses) {
        List<Map<String, String>> rows = new ArrayList<>(addresses.size());
        for (EmailAddress address : addresses) {
            rows.add(Map.of("address", address.address(), "name", address.name()));
        }
        return write(rows);
    }

    /** The addresses in a column written by {@link #addresses(List)}. */
    public static List<EmailAddress> addresses(String json) {
        List<EmailAddress> addresses = new ArrayList<>();
        if (EMPTY_LIST.equals(json)) {
            return addresses;
        }
        for (Map<String, String> row : Jdbc.fromJson(json, ADDRESSES)) {
            addresses.add(EmailAddress.of(row.get("address"), row.getOrDefault("name", "")));
        }
        return addresses;
    }

    /** {@code text} as an error or detail column holds it: cut to 2,000 characters, the cut marked with an ellipsis. */
    public static String cut(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
    }

    /**
     * A map or a list as JSON.
     *
     * @throws IllegalArgumentException when it cannot be written as JSON
     */
    public static String write(Object value) {
        // Most emails have no cc, headers, tags or metadata: their columns are written without a JSON generator.
        if (value instanceof Collection<?> collection && collection.isEmpty()) {
            return EMPTY_LIST;
        }
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return EMPTY_MAP;
        }
        return Jdbc.json(value);
    }

    /** A map column. */
    public static Map<String, String> map(String json) {
        return EMPTY_MAP.equals(json) ? new LinkedHashMap<>() : Jdbc.fromJson(json, MAP);
    }

    /** A list column. */
    public static List<String> list(String json) {
        return EMPTY_LIST.equals(json) ? new ArrayList<>() : Jdbc.fromJson(json, LIST);
    }
}
