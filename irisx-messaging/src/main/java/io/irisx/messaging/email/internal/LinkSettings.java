package io.irisx.messaging.email.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Checks the settings of the unsubscribe and tracking links. Not API. */
public final class LinkSettings {

    /** The longest base URL: the links, their tokens and a mailto link then fit in one header line. */
    public static final int MAX_BASE_URL = 200;

    // Only characters that need no escaping in a header, an HTML attribute or a URL.
    private static final Pattern BASE_URL = Pattern.compile("[A-Za-z0-9._~:/%-]+");
    // Only characters that need no percent-encoding in a mailto: URI (RFC 6068).
    private static final Pattern MAILBOX = Pattern.compile("[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,189}");

    private LinkSettings() {
    }

    /**
     * {@code baseUrl} without its trailing slash, when it is an absolute {@code https} URL with a host, no user
     * info, query or fragment, of at most {@value #MAX_BASE_URL} characters.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static String baseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (trimmed.length() > MAX_BASE_URL || !BASE_URL.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("links base URL must be an https URL of at most " + MAX_BASE_URL
                    + " characters of letters, digits and . _ ~ : / % -, with no query or fragment, was '"
                    + shown(baseUrl) + "'");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("links base URL is not a URL (" + e.getReason() + "), was '"
                    + shown(baseUrl) + "'");
        }
        if (!"https".equals(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("links base URL must be https://host[:port][/path] (mail clients and"
                    + " RFC 8058 require https for one-click unsubscribe), was '" + shown(baseUrl) + "'");
        }
        return trimmed;
    }

    /**
     * {@code address}, when it is a plain mailbox for a {@code mailto:} link: letters, digits and {@code . _ + -}
     * before the {@code @}, a domain after it.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static String mailbox(String address) {
        Objects.requireNonNull(address, "address");
        if (!MAILBOX.matcher(address).matches() || address.startsWith(".") || address.contains("..")) {
            throw new IllegalArgumentException("unsubscribe mailbox must be a plain address such as"
                    + " unsubscribe@example.com (letters, digits and . _ + - before the @), was '" + shown(address)
                    + "'");
        }
        return address;
    }

    private static String shown(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "… (" + value.length() + " characters)" : value;
    }
}
