package io.irisx.core;

import java.util.Objects;

/**
 * Input that IRISX refuses before anything is stored or sent: the message names the field, the offending value
 * (redacted by the caller where it is a secret) and what is expected.
 */
public class IrisxValidationException extends IrisxException {

    private final String field;
    private final String rejectedValue;

    /**
     * @param field the field, as the API names it (e.g. {@code "to"}, {@code "attachments[2].size"})
     * @param rejectedValue the value that was refused, already redacted if it is a secret; may be {@code null}
     * @param problem what is wrong and what is expected
     */
    public IrisxValidationException(String field, Object rejectedValue, String problem) {
        super(field + ": " + render(rejectedValue) + " " + Objects.requireNonNull(problem, "problem"));
        this.field = Objects.requireNonNull(field, "field");
        this.rejectedValue = String.valueOf(rejectedValue);
    }

    /** The field that was refused. */
    public String field() {
        return field;
    }

    /** The value that was refused, as text ({@code "null"} when there was none). */
    public String rejectedValue() {
        return rejectedValue;
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "…";
        }
        return "'" + text.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0") + "'";
    }
}
