package io.irisx.core.store;

import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an {@link SQLException} says without the data values it carries. H2 and PostgreSQL name the refused value in
 * their messages ({@code Value too long for column "x": "'secret' (21)"}, {@code Key (email)=(ada@example.com)
 * already exists}); the data (class 22) and integrity (class 23) errors are told in IRISX's words with the
 * constraint, column or relation the database named, and the others by the first line of the database's message,
 * without the SQL statement H2 appends. Thread-safe.
 */
final class SqlErrors {

    private static final int MAX_DEPTH = 8;
    /** The names PostgreSQL (and H2's column messages) give in double quotes. */
    private static final Pattern NAMED =
            Pattern.compile("\\b(constraint|column|relation|table) \"([A-Za-z0-9_ (),.]{1,128})\"");
    /** H2's index or constraint name, and table, in an integrity violation: {@code violation: "PUBLIC.NAME ON PUBLIC.T(…}. */
    private static final Pattern H2_CONSTRAINT =
            Pattern.compile("violation: \"(?:\\w+\\.)?(\\w+)(?::| ON (?:\\w+\\.)?(\\w+)| )");

    private SqlErrors() {
    }

    /** A copy of {@code e} (SQLState, error code, stack trace) and of its SQL causes, told without their values. */
    static SQLException withoutValues(SQLException e) {
        return copy(e, 0);
    }

    private static SQLException copy(SQLException e, int depth) {
        SQLException bare = new SQLException(describe(e), e.getSQLState(), e.getErrorCode());
        bare.setStackTrace(e.getStackTrace());
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql && depth < MAX_DEPTH) {
            bare.initCause(copy(sql, depth + 1));
        } else if (cause != null && !(cause instanceof SQLException)) {
            // Not the database's own words (a socket's, a pool's): they hold no statement values.
            bare.initCause(cause);
        }
        return bare;
    }

    /** What {@code e} says, without values: its cause in words, the names the database gave, and its SQLState. */
    static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        String text;
        if (state.startsWith("22") || state.startsWith("23")) {
            text = inWords(state) + names(message);
        } else {
            text = firstLine(message);
        }
        return state.isEmpty() ? text : text + " (SQLState " + state + ")";
    }

    private static String inWords(String state) {
        return switch (state) {
            case "22001" -> "a value is longer than its column allows";
            case "22003" -> "a number is out of its column's range";
            case "22007", "22008" -> "a date or time is not valid";
            case "22021" -> "a value holds a character the database encoding refuses (such as NUL)";
            case "22P02", "22018" -> "a value is not valid for its column's type";
            case "23502" -> "a required value is missing (not-null constraint)";
            case "23503" -> "a referenced row is missing (foreign key constraint)";
            case "23505" -> "the row already exists (unique constraint)";
            case "23514" -> "a value breaks a check constraint";
            default -> state.startsWith("22") ? "the database refused a value (data exception)"
                    : "an integrity constraint is violated";
        };
    }

    private static String names(String message) {
        // Only where the database names things: its first line, before the values H2 quotes ("'…'") or lists (VALUES).
        String line = firstLine(message);
        for (String valuesStart : new String[] {"\"'", " VALUES ", "Detail:"}) {
            int at = line.indexOf(valuesStart);
            if (at >= 0) {
                line = line.substring(0, at);
            }
        }
        StringBuilder names = new StringBuilder();
        Matcher named = NAMED.matcher(line);
        while (named.find()) {
            names.append(names.length() == 0 ? ": " : ", ").append(named.group(1)).append(' ').append(named.group(2));
        }
        Matcher h2 = H2_CONSTRAINT.matcher(line);
        if (h2.find()) {
            names.append(names.length() == 0 ? ": " : ", ").append("constraint ")
                    .append(h2.group(1).toLowerCase(Locale.ROOT));
            if (h2.group(2) != null) {
                names.append(" on table ").append(h2.group(2).toLowerCase(Locale.ROOT));
            }
        }
        return names.toString();
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse("").strip();
        int statement = line.indexOf("; SQL statement:");
        return statement < 0 ? line : line.substring(0, statement);
    }
}
