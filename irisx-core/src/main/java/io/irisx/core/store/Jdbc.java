package io.irisx.core.store;

import io.irisx.core.TenantId;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.irisx.core.internal.Json;
import java.lang.reflect.Type;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGStatement;

/**
 * The small JDBC helper of IRISX's stores, on the host's own connections (no ORM, no query library): running a query
 * into values of each row ({@link Row}), and the JSON text of IRISX's JSON columns, written and read with one shared
 * Jackson mapper (ISO-8601 dates, unknown properties ignored). Parameters are bound with {@link Params}. Stateless and
 * thread-safe.
 *
 * <pre>{@code
 * try (PreparedStatement select = connection.prepareStatement("SELECT id, sent_at FROM t WHERE tenant_id = ?")) {
 *     Params.of(select).id(tenant);
 *     return Jdbc.list(select, row -> row.id("id", MessageId::parse));
 * }
 * }</pre>
 */
public final class Jdbc {

    /** Whether pgjdbc is on the class path, for {@link #planEachRun}. */
    private static final boolean PGJDBC = present("org.postgresql.PGStatement");
    /** The Jackson types of the generic types columns are read as, resolved once each. */
    private static final Map<Type, JavaType> TYPES = new ConcurrentHashMap<>();

    private Jdbc() {
    }

    /**
     * Makes PostgreSQL plan {@code statement} each time it runs, for its parameters and the table's size at that
     * moment, rather than reuse a plan cached on the connection (which pgjdbc asks for from a statement's fifth run):
     * for a statement whose best plan depends on how many rows a table holds, such as a list of ids or a range read
     * up to a limit. A plan cached while the table was nearly empty reads the whole table, and stays cached however
     * the table grows until it is next analyzed. Does nothing on other drivers. Returns {@code statement}.
     */
    public static PreparedStatement planEachRun(PreparedStatement statement) throws SQLException {
        if (PGJDBC && statement.isWrapperFor(PGStatement.class)) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
        return statement;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Jdbc.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Runs {@code select} and reads each row it finds with {@code reader}, in order, into a list of the caller's. */
    public static <T> List<T> list(PreparedStatement select, Row.Reader<T> reader) throws SQLException {
        Objects.requireNonNull(reader, "reader");
        try (ResultSet rs = select.executeQuery()) {
            Row row = Row.of(rs);
            List<T> found = new ArrayList<>();
            while (rs.next()) {
                found.add(reader.read(row));
            }
            return found;
        }
    }

    /** Runs {@code select} and reads the first row it finds with {@code reader}; empty when it finds none. */
    public static <T> Optional<T> first(PreparedStatement select, Row.Reader<T> reader) throws SQLException {
        Objects.requireNonNull(reader, "reader");
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(reader.read(Row.of(rs))) : Optional.empty();
        }
    }

    /**
     * {@code value} as the JSON text IRISX keeps in its JSON columns.
     *
     * @throws IllegalArgumentException when {@code value} cannot be written as JSON
     */
    public static String json(Object value) {
        Objects.requireNonNull(value, "value");
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * The {@code type} that JSON text read from a column holds.
     *
     * @throws StoreException when {@code json} is not JSON of that type (its message names where, never what: a
     *     column may hold personal data)
     */
    public static <T> T fromJson(String json, TypeReference<T> type) {
        return fromJson(json, type, "a column");
    }

    /**
     * The {@code type} that JSON text read from a column holds.
     *
     * @throws StoreException when {@code json} is not JSON of that type
     */
    public static <T> T fromJson(String json, Class<T> type) {
        return fromJson(json, type, "a column");
    }

    static <T> T fromJson(String json, TypeReference<T> type, String column) {
        Objects.requireNonNull(type, "type");
        return read(json, TYPES.computeIfAbsent(type.getType(), Json.MAPPER.getTypeFactory()::constructType), column);
    }

    static <T> T fromJson(String json, Class<T> type, String column) {
        Objects.requireNonNull(type, "type");
        return read(json, Json.MAPPER.getTypeFactory().constructType(type), column);
    }

    private static <T> T read(String json, JavaType type, String column) {
        Objects.requireNonNull(json, "json");
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            // Neither Jackson's message nor the exception itself: both quote the text, which may be personal data.
            throw new StoreException(column + " does not hold the JSON of a " + type.toCanonical()
                    + " that IRISX writes (" + e.getClass().getSimpleName() + where(e.getLocation()) + ")", null);
        }
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Deletes every row of {@code tenant} from each of {@code tables} (each with a {@code tenant_id} column), in
     * order, on {@code connection}.
     */
    public static void deleteTenantRows(Connection connection, TenantId tenant, String... tables) throws SQLException {
        for (String table : tables) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                    + " WHERE tenant_id = ?")) {
                delete.setString(1, tenant.value());
                delete.executeUpdate();
            }
        }
    }
}
