package io.irisx.core.store;

import io.irisx.core.IrisxException;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The database failed a call IRISX made (unreachable, a constraint, a timeout); the cause says how.
 *
 * <p>Made from an {@link SQLException} with {@link #of(String, SQLException)}, neither its message nor its cause
 * carries the data the statement was given (drivers put the refused value in their messages: an address, a body, a
 * token): they keep the SQLState, the vendor's error code, and the names the database gave (constraint, column).
 */
public class StoreException extends IrisxException {

    /**
     * @param message what IRISX was doing, and what the database said (without the values it was given)
     * @param cause the database's exception
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The failure of {@code doing} ({@code "transaction failed"}) with {@code cause}: the message says what IRISX was
     * doing and what the database said, its SQLState and the constraint or column it named, without the data
     * values; the cause is a copy of {@code cause} (same SQLState, error code and stack trace) just as bare.
     */
    public static StoreException of(String doing, SQLException cause) {
        Objects.requireNonNull(doing, "doing");
        Objects.requireNonNull(cause, "cause");
        SQLException bare = SqlErrors.withoutValues(cause);
        return new StoreException(doing + ": " + bare.getMessage(), bare);
    }
}
