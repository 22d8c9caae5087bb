package io.irisx.webhooks.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The JSON text of the endpoint columns that hold collections; sorted, so equal settings are equal text. */
final class JsonColumns {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    private JsonColumns() {
    }

    static String names(Set<String> names) {
        return write(new TreeSet<>(names));
    }

    static Set<String> names(String json) {
        return Set.copyOf(read(json, LIST));
    }

    static String headers(Map<String, String> headers) {
        return write(new TreeMap<>(headers));
    }

    static Map<String, String> headers(String json) {
        return Map.copyOf(read(json, MAP));
    }

    /** A JSON string literal of {@code text}, quotes included. */
    static String quoted(String text) {
        return write(text);
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
