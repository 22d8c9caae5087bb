package io.irisx.core;

/**
 * An API key was refused: unknown, malformed, revoked or expired — deliberately not saying which, so that a caller
 * cannot learn whether a key exists. The host answers 401.
 */
public class AuthenticationException extends IrisxException {

    /** The one refusal every bad key gets. */
    public AuthenticationException() {
        super("invalid API key");
    }
}
