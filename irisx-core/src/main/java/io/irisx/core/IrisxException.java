package io.irisx.core;

/**
 * The root of every failure IRISX reports; unchecked. Each failure area has its own subclass, so a host catches
 * exactly what it can handle (a validation error, a rate limit, a provider failure, …).
 */
public abstract class IrisxException extends RuntimeException {

    protected IrisxException(String message) {
        super(message);
    }

    protected IrisxException(String message, Throwable cause) {
        super(message, cause);
    }
}
