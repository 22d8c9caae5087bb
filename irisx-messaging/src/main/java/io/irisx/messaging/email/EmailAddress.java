package io.irisx.messaging.email;

import io.irisx.core.IrisxValidationException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An email address with an optional display name; immutable. The address is checked when it is made: an ASCII
 * dot-atom local part of at most 64 characters, a domain of letters, digits and hyphens with at least two labels,
 * 254 characters in all. The display name may hold any text but control characters, at most {@value #MAX_NAME}
 * characters (RFC 5322's line limit; IRISX encodes and folds it into the header).
 *
 * @param address the address, e.g. {@code ada@example.com}
 * @param name the display name, empty when there is none
 */
public record EmailAddress(String address, String name) {

    /** The longest display name. */
    public static final int MAX_NAME = 998;
    /** The longest address. */
    public static final int MAX_ADDRESS = 254;

    private static final Pattern LOCAL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})");

    /** Checks the address and the name; {@code field} names them in the exception. */
    public EmailAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(name, "name");
        check("address", address);
        checkName("name", name);
    }

    /** The address {@code address} with no display name. */
    public static EmailAddress of(String address) {
        return new EmailAddress(address, "");
    }

    /** The address {@code address} shown as {@code name}. */
    public static EmailAddress of(String address, String name) {
        return new EmailAddress(address, name);
    }

    /**
     * Checks {@code address}, naming {@code field} in the exception when it is not a valid address.
     *
     * @return the address
     */
    static String check(String field, String address) {
        int at = address.lastIndexOf('@');
        String problem = null;
        if (address.length() > MAX_ADDRESS) {
            problem = "is longer than " + MAX_ADDRESS + " characters";
        } else if (at <= 0 || at == address.length() - 1) {
            problem = "is not an email address (local-part@domain)";
        } else if (at > 64 || !LOCAL.matcher(address.substring(0, at)).matches()) {
            problem = "has an invalid local part (up to 64 letters, digits, dots and !#$%&'*+/=?^_`{|}~-)";
        } else if (!DOMAIN.matcher(address.substring(at + 1)).matches()) {
            problem = "has an invalid domain (letters, digits and hyphens, at least two labels)";
        }
        if (problem != null) {
            throw new IrisxValidationException(field, address, problem);
        }
        return address;
    }

    /**
     * Checks a display name, naming {@code field} in the exception: no control characters, at most
     * {@value #MAX_NAME} characters.
     */
    static String checkName(String field, String name) {
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new IrisxValidationException(field, name, "must not contain control characters (CR, LF, NUL, …)");
        }
        if (name.length() > MAX_NAME) {
            throw new IrisxValidationException(field, name.substring(0, 40) + "… (" + name.length() + " characters)",
                    "is longer than the " + MAX_NAME + " characters a display name may have");
        }
        return name;
    }

    /** The domain after the {@code @}. */
    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    /** The address as an RFC 5322 mailbox: {@code "Ada Lovelace" <ada@example.com>}, or the bare address. */
    public String formatted() {
        if (name.isEmpty()) {
            return address;
        }
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + address + '>';
    }

    @Override
    public String toString() {
        return formatted();
    }
}
