package io.irisx.webhooks.internal.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.irisx.core.store.Jdbc;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The JSON text of the endpoint columns that hold collections; sorted, so equal settings are equal text. */
public final class JsonColumns {

    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    private JsonColumns() {
    }

    static String names(Set<String> names) {
        return Jdbc.json(new TreeSet<>(names));
    }

    static Set<String> names(String json) {
        return Set.copyOf(Jdbc.fromJson(json, LIST));
    }

    static String headers(Map<String, String> headers) {
        return Jdbc.json(new TreeMap<>(headers));
    }

    static Map<String, String> headers(String json) {
        return Map.copyOf(Jdbc.fromJson(json, MAP));
    }

    /** A JSON string literal of {@code text}, quotes included. */
    public static String quoted(String text) {
        return Jdbc.json(text);
    }
}
