package io.irisx.messaging.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.store.StoreException;
import io.irisx.messaging.email.EmailAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text columns of the messaging tables: the JSON of address lists, headers, media, tags and metadata, and the
 * error and detail texts cut to their columns' width. Not API.
 */
public final class Columns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final TypeReference<List<Map<String, String>>> ADDRESSES = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

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
        for (Map<String, String> row : read(json, ADDRESSES)) {
            addresses.add(EmailAddress.of(row.get("address"), row.getOrDefault("name", "")));
        }
        return addresses;
    }

    /** {@code text} as an error or detail column holds it: cut to 2,000 characters, the cut marked with an ellipsis. */
    public static String cut(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
    }

    /** A map or a list as JSON. */
    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** A map column. */
    public static Map<String, String> map(String json) {
        return read(json, MAP);
    }

    /** A list column. */
    public static List<String> list(String json) {
        return read(json, LIST);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored column is not the JSON IRISX wrote: " + e.getOriginalMessage(), e);
        }
    }
}
