package io.irisx.core.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The conditions of one SQL {@code WHERE} clause, joined with {@code AND}, and their parameters in order: for a query
 * whose conditions depend on what its caller asks, as a listing's filter. A condition given as an {@code Optional} is
 * added only when present. Column names are the caller's constants, checked to be plain SQL names; a value is never
 * written into the SQL, only bound as a parameter, as IRISX's tables hold it (an instant as epoch milliseconds, an
 * enum by name, text and whole numbers as they are). Not thread-safe: one for one query, on the thread that builds it.
 *
 * <pre>{@code
 * Where where = Where.of("tenant_id = ?", tenant.value()).in("status", filter.statuses())
 *         .atLeast("created_at", filter.createdFrom()).below("created_at", filter.createdTo())
 *         .equal("to_number", filter.to()).below("id", after.map(MessageId::value));
 * try (PreparedStatement select = connection.prepareStatement(
 *         "SELECT id FROM irisx_sms_messages WHERE " + where.sql() + " ORDER BY id DESC LIMIT " + limit)) {
 *     where.bind(select);
 *     return Jdbc.list(select, row -> row.id("id", MessageId::parse));
 * }
 * }</pre>
 */
public final class Where {

    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*");

    private final StringBuilder sql;
    private final List<Object> args = new ArrayList<>();

    private Where(String condition) {
        this.sql = new StringBuilder(condition);
    }

    /**
     * A clause of {@code condition}, written with one {@code ?} for each of {@code args}, in order (the condition every
     * query of its kind has, as {@code "tenant_id = ?"}).
     *
     * @throws IllegalArgumentException when the condition's {@code ?} do not match {@code args} one for one, or an arg
     *     is of a type IRISX's tables do not hold
     */
    public static Where of(String condition, Object... args) {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(args, "args");
        long marks = condition.chars().filter(c -> c == '?').count();
        if (condition.isBlank() || marks != args.length) {
            throw new IllegalArgumentException("condition \"" + condition + "\" must be a condition with one ? for each"
                    + " of its " + args.length + " args, had " + marks);
        }
        Where where = new Where(condition);
        for (Object arg : args) {
            where.args.add(stored(arg, "condition"));
        }
        return where;
    }

    /**
     * Adds {@code column IN (?, ...)}, one parameter for each of {@code values}' names, sorted; adds nothing when
     * {@code values} holds every constant of its enum, since the column holds nothing else.
     *
     * @throws IllegalArgumentException when {@code values} is empty (no row could match; a filter keeps at least one)
     */
    public Where in(String column, Set<? extends Enum<?>> values) {
        checkColumn(column);
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values of " + column + " is empty: no row could match; give at least one");
        }
        if (values.size() == values.iterator().next().getDeclaringClass().getEnumConstants().length) {
            return this;
        }
        sql.append(" AND ").append(column).append(" IN (").append("?, ".repeat(values.size() - 1)).append("?)");
        values.stream().map(Enum::name).sorted().forEach(args::add);
        return this;
    }

    /** Adds {@code column = ?} when {@code value} is present. */
    public Where equal(String column, Optional<?> value) {
        return add(column, " = ?", value);
    }

    /** Adds {@code column >= ?} when {@code value} is present: rows from it, itself included. */
    public Where atLeast(String column, Optional<?> value) {
        return add(column, " >= ?", value);
    }

    /** Adds {@code column < ?} when {@code value} is present: rows before it, itself excluded. */
    public Where below(String column, Optional<?> value) {
        return add(column, " < ?", value);
    }

    /** The conditions, joined with {@code AND}, to follow {@code WHERE}. */
    public String sql() {
        return sql.toString();
    }

    /** The parameters of {@link #sql()}, in order, as bound. */
    public List<Object> args() {
        return List.copyOf(args);
    }

    /** Binds {@link #args()} to {@code statement}'s parameters from its first. */
    public void bind(PreparedStatement statement) throws SQLException {
        Objects.requireNonNull(statement, "statement");
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
    }

    private Where add(String column, String comparison, Optional<?> value) {
        checkColumn(column);
        Objects.requireNonNull(value, "value");
        if (value.isPresent()) {
            Object arg = stored(value.get(), column);
            sql.append(" AND ").append(column).append(comparison);
            args.add(arg);
        }
        return this;
    }

    /** {@code value} as IRISX's tables hold it. */
    private static Object stored(Object value, String column) {
        Objects.requireNonNull(value, column);
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof String || value instanceof Long || value instanceof Integer) {
            return value;
        }
        throw new IllegalArgumentException("a value for " + column + " is a " + value.getClass().getName()
                + "; give text, a whole number, an instant or an enum (an id as its text)");
    }

    private static void checkColumn(String column) {
        Objects.requireNonNull(column, "column");
        if (!COLUMN.matcher(column).matches()) {
            throw new IllegalArgumentException("column \"" + column + "\" is not a plain SQL column name"
                    + " (lower case letters, digits and _); a value goes in as a parameter, never in the SQL");
        }
    }
}
