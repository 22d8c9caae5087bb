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
    /** A password, key or token given as a parameter: {@code ?password=…}, {@code ;PASSWORD=…}, {@code &api_key=…}. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|secret|token|api_?key|access_?token|sslpassword)=)[^&;#]*");

    private Redaction() {
    }

    /**
     * {@code url} with the password of its user info ({@code user:password@}, wherever it stands) and the values of
     * its password, secret, token and key parameters shown as {@value #MASK}: {@code https://ada:****@api.example/…};
     * any text that is not a URL is redacted the same way.
     */
    public static String url(String url) {
        Objects.requireNonNull(url, "url");
        return SECRET_PARAMETER.matcher(withoutUserInfoPassword(url)).replaceAll("$1" + MASK);
    }

    /**
     * {@code text} with the password of each {@code user:password@} shown as {@value #MASK}, wherever it stands:
     * {@code https://ada:pw@host}, and also the {@code https:/ada:pw@host}, {@code #ada:pw@host} or
     * {@code ada:pw@host} of a mistyped URL, which some parsers still read as user info. A piece of text between
     * slashes, backslashes, {@code ?}, {@code #}, spaces and control characters is user info when a {@code :} comes
     * before its last {@code @}; the password runs from that {@code :} to that {@code @}. Read in one pass, as a
     * regular expression could not be on long text without user info.
     */
    private static String withoutUserInfoPassword(String text) {
        StringBuilder shown = null;
        int start = 0;
        int colon = -1;
        int at = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '/';
            if (c == '/' || c == '\\' || c == '?' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                if (colon >= 0 && at > colon) {
                    shown = shown == null ? new StringBuilder(text.length()) : shown;
                    shown.append(text, start, colon + 1).append(MASK).append(text, at, i);
                    start = i;
                }
                colon = -1;
                at = -1;
            } else if (c == ':' && colon < 0) {
                colon = i;
            } else if (c == '@') {
                at = i;
            }
        }
        return shown == null ? text : shown.append(text, start, text.length()).toString();
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
