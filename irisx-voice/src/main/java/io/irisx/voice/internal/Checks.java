package io.irisx.voice.internal;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.secret.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks the voice builders share: names, URLs, durations and idempotency keys, each refused with an
 * {@link IrisxValidationException} naming the field and the value. Stateless; not API.
 */
public final class Checks {

    /** A flow's or a step's name: a letter or digit, then letters, digits, dots, underscores or hyphens; 64 at most. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The longest URL a call or a flow keeps. */
    public static final int MAX_URL = 2048;

    private Checks() {
    }

    /** {@code value} when it is a {@linkplain #NAME name}. */
    public static String name(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!NAME.matcher(value).matches()) {
            throw new IrisxValidationException(field, value, "must be 1-64 letters, digits, dots, underscores or"
                    + " hyphens, starting with a letter or digit");
        }
        return value;
    }

    /** {@code url} when it is an https URL with a host, of at most 2048 characters; refused without its secrets. */
    public static String httpsUrl(String field, String url) {
        Objects.requireNonNull(url, field);
        try {
            URI uri = new URI(url);
            if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null || url.length() > MAX_URL) {
                throw new IrisxValidationException(field, Redaction.url(url),
                        "must be an https URL of at most " + MAX_URL + " characters");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new IrisxValidationException(field, Redaction.url(url), "is not a URL: " + e.getReason());
        }
    }

    /** {@code duration} when it is a whole number of seconds from {@code min} to {@code max}. */
    public static Duration seconds(String field, Duration duration, Duration min, Duration max) {
        Objects.requireNonNull(duration, field);
        if (duration.getNano() != 0 || duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            throw new IrisxValidationException(field, duration, "must be whole seconds from " + min.toSeconds()
                    + " to " + max.toSeconds() + " seconds");
        }
        return duration;
    }

    /** {@code key} when it is 1-255 characters with no control characters. */
    public static String idempotencyKey(String key) {
        Objects.requireNonNull(key, "idempotencyKey");
        if (key.isBlank() || key.length() > 255 || key.chars().anyMatch(Character::isISOControl)) {
            throw new IrisxValidationException("idempotencyKey", key, "must be 1-255 characters with no control"
                    + " characters");
        }
        return key;
    }

    /**
     * What {@code refusal} says is wrong, without its field and value: to name the value again under another field
     * (a prompt's {@code text} as a step's {@code steps[menu].prompts}).
     */
    public static String problem(IrisxValidationException refusal) {
        String message = refusal.getMessage();
        String value = refusal.rejectedValue();
        String rendered = "null".equals(value) ? "null" : "'" + (value.length() > 200 ? value.substring(0, 200) + "…"
                : value).replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0") + "'";
        String prefix = refusal.field() + ": " + rendered + " ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** {@code text} as an error or detail column holds it: cut to 2,000 characters, the cut marked with an ellipsis. */
    public static String cut(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
    }
}
