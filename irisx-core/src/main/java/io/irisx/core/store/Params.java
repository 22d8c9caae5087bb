package io.irisx.core.store;

import io.irisx.core.TenantId;
import io.irisx.core.id.AttemptId;
import io.irisx.core.id.CallId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Binds the parameters of one {@link PreparedStatement}, one after the other from the first (or from a given index),
 * as IRISX's tables hold them: ids and tenant ids as their text, instants as epoch milliseconds ({@code BIGINT}, as
 * every IRISX time column on H2 and PostgreSQL), enums by name, JSON as text written with IRISX's one shared mapper
 * ({@link Jdbc#json(Object)}), and an empty {@code Optional} as SQL {@code NULL} of its column's type. A value is never
 * null: a nullable column is bound from an {@code Optional}. Not thread-safe: one binder for one statement, on the
 * thread that runs it.
 *
 * <pre>{@code
 * try (PreparedStatement update = connection.prepareStatement(
 *         "UPDATE t SET status = ?, sent_at = ? WHERE tenant_id = ? AND id = ?")) {
 *     Params.of(update).enumName(status).instant(sentAt).id(tenant).id(id);
 *     update.executeUpdate();
 * }
 * }</pre>
 */
public final class Params {

    private final PreparedStatement statement;
    private int next;

    private Params(PreparedStatement statement, int first) {
        this.statement = Objects.requireNonNull(statement, "statement");
        this.next = first;
    }

    /** A binder of {@code statement}'s parameters from its first. */
    public static Params of(PreparedStatement statement) {
        return new Params(statement, 1);
    }

    /**
     * A binder of {@code statement}'s parameters from the one at {@code index} (from 1), for a part of a statement
     * bound by a method of its own.
     */
    public static Params from(PreparedStatement statement, int index) {
        if (index < 1) {
            throw new IllegalArgumentException("index must be at least 1 (JDBC parameters count from 1), was " + index);
        }
        return new Params(statement, index);
    }

    /** The index the next value goes to. */
    public int next() {
        return next;
    }

    /** Binds {@code value} as text. */
    public Params string(String value) throws SQLException {
        statement.setString(next, require(value));
        next++;
        return this;
    }

    /** Binds {@code value} as text, or {@code NULL} ({@code VARCHAR}) when empty. */
    public Params string(Optional<String> value) throws SQLException {
        return require(value).isPresent() ? string(value.get()) : nullOf(Types.VARCHAR);
    }

    /** Binds {@code value} as an {@code INTEGER}. */
    public Params intValue(int value) throws SQLException {
        statement.setInt(next++, value);
        return this;
    }

    /** Binds {@code value} as an {@code INTEGER}, or {@code NULL} when empty. */
    public Params intValue(OptionalInt value) throws SQLException {
        return require(value).isPresent() ? intValue(value.getAsInt()) : nullOf(Types.INTEGER);
    }

    /** Binds {@code value} as a {@code BIGINT}. */
    public Params longValue(long value) throws SQLException {
        statement.setLong(next++, value);
        return this;
    }

    /** Binds {@code value} as a {@code BIGINT}, or {@code NULL} when empty. */
    public Params longValue(OptionalLong value) throws SQLException {
        return require(value).isPresent() ? longValue(value.getAsLong()) : nullOf(Types.BIGINT);
    }

    /** Binds {@code value} as a {@code NUMERIC}, exactly. */
    public Params decimal(BigDecimal value) throws SQLException {
        statement.setBigDecimal(next, require(value));
        next++;
        return this;
    }

    /** Binds {@code value} as a {@code BOOLEAN}. */
    public Params bool(boolean value) throws SQLException {
        statement.setBoolean(next++, value);
        return this;
    }

    /** Binds {@code value} as bytes ({@code BYTEA} on PostgreSQL, {@code BINARY VARYING} on H2). */
    public Params bytes(byte[] value) throws SQLException {
        statement.setBytes(next, require(value));
        next++;
        return this;
    }

    /** Binds {@code value} as epoch milliseconds, a {@code BIGINT}. */
    public Params instant(Instant value) throws SQLException {
        return longValue(require(value).toEpochMilli());
    }

    /** Binds {@code value} as epoch milliseconds, a {@code BIGINT}, or {@code NULL} when empty. */
    public Params instant(Optional<Instant> value) throws SQLException {
        return require(value).isPresent() ? instant(value.get()) : nullOf(Types.BIGINT);
    }

    /** Binds {@code value}'s name, as text. */
    public Params enumName(Enum<?> value) throws SQLException {
        return string(require(value).name());
    }

    /** Binds {@code value}'s text. */
    public Params id(TenantId value) throws SQLException {
        return string(require(value).value());
    }

    /** Binds {@code value}'s text. */
    public Params id(MessageId value) throws SQLException {
        return string(require(value).value());
    }

    /** Binds {@code value}'s text. */
    public Params id(EventId value) throws SQLException {
        return string(require(value).value());
    }

    /** Binds {@code value}'s text. */
    public Params id(EndpointId value) throws SQLException {
        return string(require(value).value());
    }

    /** Binds {@code value}'s text. */
    public Params id(AttemptId value) throws SQLException {
        return string(require(value).value());
    }

    /** Binds {@code value}'s text. */
    public Params id(CallId value) throws SQLException {
        return string(require(value).value());
    }

    /**
     * Binds {@code value} as JSON text, written with IRISX's shared mapper ({@link Jdbc#json(Object)}).
     *
     * @throws IllegalArgumentException when {@code value} cannot be written as JSON
     */
    public Params json(Object value) throws SQLException {
        return string(Jdbc.json(require(value)));
    }

    private Params nullOf(int sqlType) throws SQLException {
        statement.setNull(next++, sqlType);
        return this;
    }

    /** {@code value}, checked not to be null, naming the parameter's index when it is. */
    private <T> T require(T value) {
        if (value == null) {
            throw new NullPointerException("parameter " + next + " is null; bind a nullable column from an Optional");
        }
        return value;
    }
}
