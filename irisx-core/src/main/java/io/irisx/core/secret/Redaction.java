package io.irisx.core.secret;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How IRISX shows a value that may hold a secret in an exception message or a log line: a URL without the password
 * of its user info or of its query, a credential header's value as {@value #MASK}; stateless and thread-safe.
 */
public final class Redaction {

    /** What a redacted secret is shown as. */
    public static final String MASK = "****";

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token", "x-csrf-token");
    /** Header names that say they carry a credential: {@code X-Postmark-Server-Token}, {@code X-Client-Secret}. */
    private static final Pattern SECRET_WORD = Pattern.compile(".*(token|secret|password|passwd|api-?key|session).*");
    /** The password of a URL's user info: {@code scheme://user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@:]*):[^/?#]*@");
    /** A password, key or token given as a parameter: {@code ?password=…}, {@code ;PASSWORD=…}, {@code &api_key=…}. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|secret|token|api_?key|access_?token|sslpassword)=)[^&;#]*");

    private Redaction() {
    }

    /**
     * {@code url} with the password of its user info and the values of its password, secret, token and key
     * parameters shown as {@value #MASK}: {@code https://ada:****@api.example/…}; any text that is not a URL is
     * redacted the same way.
     */
    public static String url(String url) {
        Objects.requireNonNull(url, "url");
        return SECRET_PARAMETER.matcher(USER_INFO.matcher(url).replaceAll("$1:" + MASK + "@")).replaceAll("$1" + MASK);
    }

    /** Whether header {@code name} carries a credential ({@code Authorization}, {@code Cookie}, {@code X-Api-Key}, …). */
    public static boolean isSecretHeader(String name) {
        Objects.requireNonNull(name, "name");
        String lower = name.toLowerCase(Locale.ROOT);
        return SECRET_HEADERS.contains(lower) || SECRET_WORD.matcher(lower).matches();
    }

    /** The value of header {@code name} as it may be shown: {@value #MASK} when the header carries a credential. */
    public static String headerValue(String name, String value) {
        Objects.requireNonNull(value, "value");
        return isSecretHeader(name) ? MASK : value;
    }
}
