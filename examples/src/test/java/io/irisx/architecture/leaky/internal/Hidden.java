package io.irisx.architecture.leaky.internal;

/** A type of an internal package, for the test of the rule that keeps such types out of the API. */
public final class Hidden {

    /** An exception of an internal package. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
    }
}
