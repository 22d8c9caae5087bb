package io.irisx.core.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The current row of a {@link ResultSet}, read by column name (or by the alias a query gives a computed column), as
 * {@link Params} binds it: ids from their text, instants from epoch milliseconds, enums by name, JSON with IRISX's
 * shared mapper. A column read with a plain getter must hold a value: its {@code NULL} is a {@link StoreException}
 * naming the column, rather than the {@code 0} or {@code null} JDBC would give; a nullable column is read with the
 * {@code optional} getter. Not thread-safe, like the result set it reads; it reads whichever row the result set is on.
 *
 * <pre>{@code
 * try (ResultSet rs = select.executeQuery()) {
 *     Row row = Row.of(rs);
 *     while (rs.next()) {
 *         found.add(new Sent(row.id("id", MessageId::parse), row.instant("created_at"),
 *                 row.optionalInstant("sent_at")));
 *     }
 * }
 * }</pre>
 */
public final class Row {

    /**
     * Reads one value of a row from it.
     *
     * @param <T> what it reads
     */
    @FunctionalInterface
    public interface Reader<T> {
        /** The value of {@code row}'s current row. */
        T read(Row row) throws SQLException;
    }

    private final ResultSet rs;

    private Row(ResultSet rs) {
        this.rs = Objects.requireNonNull(rs, "rs");
    }

    /** The row {@code rs} is on, and then each next one as {@code rs} moves. */
    public static Row of(ResultSet rs) {
        return new Row(rs);
    }

    /** The text in {@code column}. */
    public String string(String column) throws SQLException {
        return required(column, rs.getString(column));
    }

    /** The text in {@code column}, empty when {@code NULL}. */
    public Optional<String> optionalString(String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    /** The {@code INTEGER} in {@code column}. */
    public int intValue(String column) throws SQLException {
        int value = rs.getInt(column);
        if (rs.wasNull()) {
            throw isNull(column);
        }
        return value;
    }

    /** The {@code INTEGER} in {@code column}, empty when {@code NULL}. */
    public OptionalInt optionalInt(String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(value);
    }

    /** The {@code BIGINT} in {@code column}. */
    public long longValue(String column) throws SQLException {
        long value = rs.getLong(column);
        if (rs.wasNull()) {
            throw isNull(column);
        }
        return value;
    }

    /** The {@code BIGINT} in {@code column}, empty when {@code NULL}. */
    public OptionalLong optionalLong(String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** The {@code NUMERIC} in {@code column}, exactly, at the column's scale. */
    public BigDecimal decimal(String column) throws SQLException {
        return required(column, rs.getBigDecimal(column));
    }

    /** The {@code BOOLEAN} in {@code column}. */
    public boolean bool(String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        if (rs.wasNull()) {
            throw isNull(column);
        }
        return value;
    }

    /** The bytes in {@code column}. */
    public byte[] bytes(String column) throws SQLException {
        return required(column, rs.getBytes(column));
    }

    /** The instant whose epoch milliseconds {@code column} holds. */
    public Instant instant(String column) throws SQLException {
        return Instant.ofEpochMilli(longValue(column));
    }

    /** The instant whose epoch milliseconds {@code column} holds, empty when {@code NULL}. */
    public Optional<Instant> optionalInstant(String column) throws SQLException {
        OptionalLong millis = optionalLong(column);
        return millis.isPresent() ? Optional.of(Instant.ofEpochMilli(millis.getAsLong())) : Optional.empty();
    }

    /**
     * The constant of {@code type} named in {@code column}.
     *
     * @throws StoreException when the column names none of its constants
     */
    public <E extends Enum<E>> E enumValue(String column, Class<E> type) throws SQLException {
        String name = string(column);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new StoreException("column " + column + " holds '" + name + "', which is no " + type.getSimpleName()
                    + "; was the table written by a newer IRISX?", e);
        }
    }

    /** The id {@code parse} makes of the text in {@code column}, e.g. {@code row.id("id", MessageId::parse)}. */
    public <T> T id(String column, Function<String, T> parse) throws SQLException {
        return parse.apply(string(column));
    }

    /** The id {@code parse} makes of the text in {@code column}, empty when {@code NULL}. */
    public <T> Optional<T> optionalId(String column, Function<String, T> parse) throws SQLException {
        return optionalString(column).map(parse);
    }

    /**
     * The JSON text in {@code column}, read as {@code type} with IRISX's shared mapper.
     *
     * @throws StoreException when the column does not hold such JSON
     */
    public <T> T json(String column, TypeReference<T> type) throws SQLException {
        return Jdbc.fromJson(string(column), type, "column " + column);
    }

    /**
     * The JSON text in {@code column}, read as {@code type} with IRISX's shared mapper.
     *
     * @throws StoreException when the column does not hold such JSON
     */
    public <T> T json(String column, Class<T> type) throws SQLException {
        return Jdbc.fromJson(string(column), type, "column " + column);
    }

    private static <T> T required(String column, T value) {
        if (value == null) {
            throw isNull(column);
        }
        return value;
    }

    private static StoreException isNull(String column) {
        return new StoreException("column " + column + " is NULL where IRISX always writes a value; read a nullable"
                + " column with an optional getter", null);
    }
}
