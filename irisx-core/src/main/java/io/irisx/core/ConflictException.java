package io.irisx.core;

/** The request conflicts with what is stored (a name already taken, a change to something in the wrong state). */
public class ConflictException extends IrisxException {

    /** @param message what conflicts, and with what */
    public ConflictException(String message) {
        super(message);
    }
}
