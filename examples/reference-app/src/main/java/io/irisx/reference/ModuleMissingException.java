package io.irisx.reference;

/** A route's IRISX module is not installed in this app (no provider configured): a 503 naming what to set. */
final class ModuleMissingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ModuleMissingException(String capability, IllegalStateException cause) {
        super(capability + " is not configured in this app: " + cause.getMessage(), cause);
    }
}
