package io.irisx.reference;

/**
 * A request's parameter or member whose value the route cannot take: answered as a validation problem whose
 * {@code field} and {@code rejectedValue} name it (see {@link Problems}); a missing one has no value.
 */
final class InvalidValueException extends IllegalArgumentException {

    private final String field;
    private final String value;

    InvalidValueException(String field, String value, String message) {
        super(message);
        this.field = field;
        this.value = value;
    }

    String field() {
        return field;
    }

    String value() {
        return value;
    }
}
