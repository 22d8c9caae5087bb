package io.irisx.core.testing;

import io.irisx.core.IrisxException;
import io.irisx.core.IrisxValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that a call to IRISX with random input either returns or fails in one of the ways IRISX documents, and
 * that no failure's message repeats a secret the input held; stateless.
 *
 * <p>IRISX's own exceptions ({@link IrisxValidationException} and the other {@link IrisxException}s named) count with
 * their subclasses. The JDK's {@link IllegalArgumentException}, {@link IllegalStateException} and
 * {@link NullPointerException} count only as themselves: a {@link NumberFormatException} is an
 * {@code IllegalArgumentException} too, but it comes from code that forgot to check its input, not from a check.
 * Every documented failure has a message.
 */
public final class DocumentedFailures {

    private static final Set<Class<? extends Throwable>> EXACT_ONLY = Set.of(IllegalArgumentException.class,
            IllegalStateException.class, NullPointerException.class);

    private DocumentedFailures() {
    }

    /** Something to call that may throw anything. */
    @FunctionalInterface
    public interface Call {
        /** Calls IRISX. */
        void call() throws Exception;
    }

    /**
     * Calls {@code call}; passes when it returns or throws one of {@code allowed} (see the class comment) with a
     * message that contains none of {@code secrets}, and returns what it threw.
     *
     * @throws AssertionError naming the undocumented exception, with it as the cause, or the leaked secret
     */
    public static Optional<Throwable> only(Call call, Collection<Class<? extends Throwable>> allowed,
            Collection<String> secrets) {
        Throwable thrown;
        try {
            call.call();
            return Optional.empty();
        } catch (VirtualMachineError | AssertionError e) {
            // An assertion of the test's own inside the call fails the property as it is.
            throw e;
        } catch (Throwable e) {
            thrown = e;
        }
        if (!isAllowed(thrown, allowed)) {
            throw new AssertionError("undocumented " + thrown.getClass().getName() + " (allowed: " + names(allowed)
                    + "): " + thrown.getMessage(), thrown);
        }
        if (thrown.getMessage() == null || thrown.getMessage().isBlank()) {
            throw new AssertionError(thrown.getClass().getName() + " without a message", thrown);
        }
        for (String secret : secrets) {
            if (!secret.isEmpty() && leaks(thrown, secret)) {
                throw new AssertionError("the " + thrown.getClass().getSimpleName() + " shows the secret '" + secret
                        + "': " + thrown.getMessage(), thrown);
            }
        }
        return Optional.of(thrown);
    }

    /** {@link #only(Call, Collection, Collection)} for input that holds no secret. */
    public static Optional<Throwable> only(Call call, Collection<Class<? extends Throwable>> allowed) {
        return only(call, allowed, List.of());
    }

    /** {@link IrisxValidationException} and {@link IllegalArgumentException}: what a setter of bad content throws. */
    public static List<Class<? extends Throwable>> validation() {
        return List.of(IrisxValidationException.class, IllegalArgumentException.class);
    }

    private static boolean isAllowed(Throwable thrown, Collection<Class<? extends Throwable>> allowed) {
        for (Class<? extends Throwable> type : allowed) {
            boolean matches = EXACT_ONLY.contains(type) ? thrown.getClass() == type : type.isInstance(thrown);
            if (matches) {
                return true;
            }
        }
        return false;
    }

    /** Whether the message of the exception, of any of its causes, or its rejected value shows the secret. */
    private static boolean leaks(Throwable thrown, String secret) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = thrown; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            if (String.valueOf(t.getMessage()).contains(secret)
                    || t instanceof IrisxValidationException invalid && invalid.rejectedValue().contains(secret)) {
                return true;
            }
        }
        return false;
    }

    private static String names(Collection<Class<? extends Throwable>> types) {
        return types.stream().map(Class::getSimpleName).toList().toString();
    }
}
