package io.irisx.core.store;

import io.irisx.core.IrisxException;

/** The database failed a call IRISX made (unreachable, a constraint, a timeout); the cause says how. */
public class StoreException extends IrisxException {

    /**
     * @param message what IRISX was doing, and the database's own message
     * @param cause the database's exception
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
