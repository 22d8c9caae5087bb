package io.irisx.architecture.leaky;

import io.irisx.architecture.leaky.internal.Hidden;
import java.util.List;
import java.util.Optional;

/**
 * A public class whose members name an internal type in each way the house rules forbid, and in ways they allow (a
 * package-private member, a private nested class), for the test that the rule tells them apart.
 */
@SuppressWarnings("unused")
public final class LeakyApi {

    /** A public field of an internal type. */
    public static final Hidden HIDDEN = new Hidden();

    /** A public constructor taking an internal type. */
    public LeakyApi(Hidden hidden) {
    }

    /** A public method returning an internal type as a type argument. */
    public Optional<Hidden> hidden() {
        return Optional.empty();
    }

    /** A public method throwing an internal exception. */
    public void fail() throws Hidden.Failure {
    }

    /** Allowed: not visible outside the package. */
    Hidden packagePrivate() {
        return HIDDEN;
    }

    /** A public nested class with a public method taking internal types in a list. */
    public static final class Nested {
        /** Takes internal types. */
        public void take(List<Hidden> hidden) {
        }
    }

    /** Allowed: a private class is no API, whatever its members say. */
    private static final class Secret {
        public Hidden leak() {
            return HIDDEN;
        }
    }
}
