package io.irisx.spring.boot.internal;

import io.irisx.core.IrisxValidationException;
import io.irisx.spring.boot.IrisxPropertyException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Hands {@code irisx.*} values to IRISX's builders, which check them, and reports a refusal as an
 * {@link IrisxPropertyException} under the property's name. IRISX's messages never show a secret, so they are passed
 * on as they are. Stateless and thread-safe.
 */
public final class Settings {

    private Settings() {
    }

    /** Runs {@code step}, which hands {@code property}'s value to a builder; a refusal names the property. */
    public static void apply(String property, Runnable step) {
        get(property, () -> {
            step.run();
            return null;
        });
    }

    /** As {@link #apply(String, Runnable)}, returning what {@code step} makes. */
    public static <T> T get(String property, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException | IrisxValidationException e) {
            throw new IrisxPropertyException(property, e.getMessage(), e);
        }
    }

    /** Hands {@code value} to {@code setter} when it is set (not {@code null}); a refusal names the property. */
    public static <T> void optional(String property, T value, Consumer<T> setter) {
        if (value != null) {
            apply(property, () -> setter.accept(value));
        }
    }

    /** {@code value}, which must have text because {@code because} (e.g. "with irisx.sms.twilio.account-sid"). */
    public static String required(String property, String value, String because) {
        if (!hasText(value)) {
            throw new IrisxPropertyException(property, "is required " + because);
        }
        return value;
    }

    /** Whether {@code value} is set and not blank. */
    public static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * The constant of {@code type} that {@code value} names, written as in properties ({@code when-offered} for
     * {@code WHEN_OFFERED}, in any case).
     */
    public static <E extends Enum<E>> E choice(String property, String value, Class<E> type) {
        String constant = value == null ? "" : value.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E candidate : type.getEnumConstants()) {
            if (candidate.name().equals(constant)) {
                return candidate;
            }
        }
        String expected = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", "));
        throw new IrisxPropertyException(property, "expected one of " + expected + ", was '" + value + "'");
    }

    /** Refuses providers on a send-only module, which would never use them. */
    public static void refuseProvidersWhenSendOnly(String prefix, boolean sendOnly, Iterable<String> providers) {
        if (sendOnly && providers.iterator().hasNext()) {
            throw new IrisxPropertyException(prefix + ".send-only", "a send-only process sends nothing, yet the "
                    + "providers " + providers + " are configured: remove their " + prefix + ".<provider>.* "
                    + "properties from this process, or set " + prefix + ".send-only=false");
        }
    }
}
