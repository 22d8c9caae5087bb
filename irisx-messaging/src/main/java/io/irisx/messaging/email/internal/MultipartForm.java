package io.irisx.messaging.email.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one field of a small {@code multipart/form-data} body (RFC 7578), as a mail client may send RFC 8058's
 * one-click unsubscribe. Stateless. Not API.
 */
public final class MultipartForm {

    private static final Pattern BOUNDARY = Pattern.compile(";\\s*boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile(
            "^content-disposition:\\s*form-data\\s*;(?:.*;)?\\s*name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE
                    | Pattern.MULTILINE);

    private MultipartForm() {
    }

    /**
     * The value of the field {@code name} in {@code body}, whose {@code Content-Type} is {@code contentType}; empty
     * when the body has no boundary or no such field.
     */
    public static Optional<String> value(String contentType, String body, String name) {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            return Optional.empty();
        }
        String delimiter = "--" + (boundary.group(1) != null ? boundary.group(1) : boundary.group(2));
        String[] parts = body.split(Pattern.quote(delimiter), -1);
        // Before the first delimiter is the preamble; from the close delimiter ("--" after it) on, the epilogue.
        for (int i = 1; i < parts.length && !parts[i].startsWith("--"); i++) {
            String part = parts[i].startsWith("\r\n") ? parts[i].substring(2)
                    : parts[i].startsWith("\n") ? parts[i].substring(1) : parts[i];
            int split = part.indexOf("\r\n\r\n");
            int skip = 4;
            if (split < 0) {
                split = part.indexOf("\n\n");
                skip = 2;
            }
            if (split < 0) {
                continue;
            }
            Matcher field = NAME.matcher(part.substring(0, split));
            if (field.find() && field.group(1).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                String value = part.substring(split + skip);
                // The line break before the next delimiter belongs to the delimiter.
                if (value.endsWith("\r\n")) {
                    value = value.substring(0, value.length() - 2);
                } else if (value.endsWith("\n")) {
                    value = value.substring(0, value.length() - 1);
                }
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
