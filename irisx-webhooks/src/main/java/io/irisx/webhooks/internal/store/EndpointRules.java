package io.irisx.webhooks.internal.store;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.secret.Redaction;
import io.irisx.webhooks.signing.WebhookSecret;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks an endpoint's settings pass, the same at creation and at update. */
public final class EndpointRules {

    static final int MAX_URL = 2048;
    static final int MAX_DESCRIPTION = 1000;
    static final int MAX_LABELS = 20;
    static final int MAX_HEADERS = 20;
    static final int MAX_HEADER_NAME = 100;
    static final int MAX_HEADER_VALUE = 1000;
    static final int MAX_RATE_LIMIT = 100_000;
    static final int MAX_CONCURRENCY = 1000;
    /** The fewest bytes of a secret a host gives an endpoint; the Standard Webhooks spec asks for 24 to 64. */
    static final int MIN_SECRET_BYTES = 24;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    // RFC 9110 token characters.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    // The delivery engine sets these itself; a customer's copy would break signing or framing.
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
            "transfer-encoding", "connection", "user-agent");

    private EndpointRules() {
    }

    public static String url(String url) {
        if (url.isBlank() || url.length() > MAX_URL) {
            throw new IrisxValidationException("url", Redaction.url(url), "must be an http or https URL of 1-"
                    + MAX_URL + " characters");
        }
        return url;
    }

    /**
     * Checks a signing secret the host gives an endpoint (generated ones are {@value WebhookSecret#GENERATED_BYTES}
     * bytes): too short a key could be guessed, and every webhook to the endpoint forged with it.
     */
    public static WebhookSecret givenSecret(WebhookSecret secret) {
        if (secret.size() < MIN_SECRET_BYTES) {
            throw new IrisxValidationException("secret", WebhookSecret.PREFIX + "**** (" + secret.size() + " bytes)",
                    "is too short: an endpoint's signing secret must hold at least " + MIN_SECRET_BYTES + " random "
                    + "bytes (the Standard Webhooks spec asks for 24 to 64), this one holds " + secret.size()
                    + "; use WebhookSecret.generate() or a longer secret");
        }
        return secret;
    }

    public static String description(String description) {
        if (description.length() > MAX_DESCRIPTION || description.indexOf('\0') >= 0) {
            throw new IrisxValidationException("description", description, "must be at most " + MAX_DESCRIPTION
                    + " characters, with no NUL");
        }
        return description;
    }

    public static Set<String> eventTypes(Collection<String> names) {
        Set<String> checked = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !EVENT_TYPE.matcher(name).matches()) {
                throw new IrisxValidationException("eventTypes", name, "is not an event type name such as "
                        + "'email.delivered'; see WebhookEndpoints.eventTypes()");
            }
            checked.add(name);
        }
        return Set.copyOf(checked);
    }

    public static Set<String> labels(Collection<String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw new IrisxValidationException("labels", labels, "has " + labels.size() + " labels; at most "
                    + MAX_LABELS + " are allowed");
        }
        for (String label : labels) {
            if (label == null || !LABEL.matcher(label).matches()) {
                throw new IrisxValidationException("labels", label, "must be 1-64 characters of letters, digits, "
                        + "'.', '_', ':' or '-', starting with a letter or digit");
            }
        }
        return Set.copyOf(labels);
    }

    public static Map<String, String> headers(Map<String, String> headers) {
        if (headers.size() > MAX_HEADERS) {
            throw new IrisxValidationException("headers", headers.keySet(), "has " + headers.size()
                    + " headers; at most " + MAX_HEADERS + " are allowed");
        }
        Map<String, String> byLowerName = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (name == null || name.length() > MAX_HEADER_NAME || !HEADER_NAME.matcher(name).matches()) {
                throw new IrisxValidationException("headers", name, "is not a header name: 1-" + MAX_HEADER_NAME
                        + " letters, digits and !#$%&'*+.^_`|~-");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("webhook-") || RESERVED_HEADERS.contains(lower)) {
                throw new IrisxValidationException("headers", name, "is reserved: IRISX sets the webhook-* headers, "
                        + String.join(", ", RESERVED_HEADERS.stream().sorted().toList()) + " itself");
            }
            if (byLowerName.put(lower, name) != null) {
                throw new IrisxValidationException("headers", name, "is given twice (header names ignore case)");
            }
            if (value == null || value.length() > MAX_HEADER_VALUE || !isFieldValue(value)) {
                // A credential header's value (Authorization, …) is never shown.
                throw new IrisxValidationException("headers." + name,
                        value == null ? null : Redaction.headerValue(name, value), "must be at most "
                        + MAX_HEADER_VALUE + " characters of visible ASCII, spaces and tabs (what HTTP clients send:"
                        + " no CR, LF or other control character, no non-ASCII letter such as 'ë')");
            }
        }
        return Map.copyOf(headers);
    }

    public static int rateLimitPerSecond(int perSecond) {
        if (perSecond < 1 || perSecond > MAX_RATE_LIMIT) {
            throw new IrisxValidationException("rateLimitPerSecond", perSecond, "must be between 1 and "
                    + MAX_RATE_LIMIT);
        }
        return perSecond;
    }

    public static int maxConcurrency(int maxConcurrency) {
        if (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY) {
            throw new IrisxValidationException("maxConcurrency", maxConcurrency, "must be between 1 and "
                    + MAX_CONCURRENCY);
        }
        return maxConcurrency;
    }

    /** Visible ASCII, space and tab: what OkHttp (and RFC 9110's safe subset) sends, so every delivery can. */
    private static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return false;
            }
        }
        return true;
    }
}
