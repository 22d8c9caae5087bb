package io.irisx.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads IP addresses written as text, without ever asking DNS; thread-safe (stateless).
 *
 * <p>A URL host is read the way the WHATWG URL standard (browsers) and {@code inet_aton} read it: a host whose last
 * label is a number is an IPv4 address, each part decimal, octal (leading {@code 0}) or hex ({@code 0x}), and the
 * last part fills the remaining bytes, so {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1} and {@code 127.1}
 * are all 127.0.0.1. A host that ends in a number but is not a valid address is refused, as browsers refuse it.
 * IPv6 literals are handed to {@link InetAddress} inside brackets, which makes it parse or throw and never resolve.
 */
public final class IpLiterals {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");
    private static final Pattern DOTTED_DECIMAL =
            Pattern.compile("(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
    /** Larger than any valid part, so that an overlong part fails every range check below. */
    private static final long TOO_LARGE = 1L << 40;

    private IpLiterals() {
    }

    /**
     * The address a URL host denotes when it is an IP literal; empty when it is a domain name.
     *
     * @param host a URL host, IPv6 with or without brackets
     * @throws IllegalArgumentException when the host is written as an address but is not a valid one
     */
    public static Optional<InetAddress> parseHost(String host) {
        String text = host.toLowerCase(Locale.ROOT);
        if (text.startsWith("[") && text.endsWith("]")) {
            return Optional.of(parseIpv6(text.substring(1, text.length() - 1)));
        }
        if (text.indexOf(':') >= 0) {
            return Optional.of(parseIpv6(text));
        }
        List<String> parts = new ArrayList<>(Arrays.asList(text.split("\\.", -1)));
        if (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        if (!endsInNumber(parts.get(parts.size() - 1))) {
            return Optional.empty();
        }
        return Optional.of(parseIpv4(parts));
    }

    /** Whether a URL host is written as an IP address, valid or not, rather than as a domain name. */
    public static boolean isLiteral(String host) {
        try {
            return parseHost(host).isPresent();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * Whether Java's {@link InetAddress} would read this IPv4 host differently from a browser: Java reads a part
     * with a leading zero as decimal ({@code 010} is 10, not 8) and does not take a trailing dot as a literal at all,
     * so OkHttp, which hands hosts of digits and dots to {@link InetAddress}, could connect elsewhere than checked.
     */
    public static boolean readsDifferentlyInJava(String host) {
        if (!host.matches("[0-9.]+")) {
            return false;
        }
        if (host.endsWith(".")) {
            return true;
        }
        for (String part : host.split("\\.", -1)) {
            if (part.length() > 1 && part.charAt(0) == '0') {
                return true;
            }
        }
        return false;
    }

    /**
     * A plainly written address, as in configuration: four decimal numbers for IPv4, or IPv6 (without brackets).
     *
     * @throws IllegalArgumentException when the text is not one
     */
    public static InetAddress parseAddress(String text) {
        if (text.indexOf(':') >= 0) {
            InetAddress address = parseIpv6(text);
            // InetAddress turns ::ffff:a.b.c.d into the IPv4 address; configuration means the IPv6 one it wrote.
            return address instanceof Inet4Address ? mapped(address.getAddress()) : address;
        }
        var matcher = DOTTED_DECIMAL.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("is not an IPv4 address in dotted decimal (a.b.c.d) nor an IPv6 address");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(matcher.group(i + 1));
            if (value > 255) {
                throw new IllegalArgumentException("has a part above 255");
            }
            bytes[i] = (byte) value;
        }
        return byAddress(bytes);
    }

    private static InetAddress parseIpv6(String text) {
        if (!IPV6_CHARS.matcher(text).matches()) {
            throw new IllegalArgumentException("is not a valid IPv6 address (zone ids are not accepted)");
        }
        try {
            // In brackets InetAddress must read an IPv6 literal or throw; it never falls back to a DNS lookup.
            return InetAddress.getByName("[" + text + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("is not a valid IPv6 address", e);
        }
    }

    private static InetAddress parseIpv4(List<String> parts) {
        if (parts.size() > 4) {
            throw new IllegalArgumentException("ends in a number but has more than four parts, so it is no IPv4 address");
        }
        long[] numbers = new long[parts.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = number(parts.get(i));
            if (numbers[i] < 0) {
                throw new IllegalArgumentException("ends in a number but part '" + parts.get(i)
                        + "' is not a decimal, octal or hex number, so it is no IPv4 address");
            }
            if (i < numbers.length - 1 && numbers[i] > 255) {
                throw new IllegalArgumentException("is no IPv4 address: part '" + parts.get(i) + "' is above 255");
            }
        }
        long last = numbers[numbers.length - 1];
        if (last >= 1L << (8 * (5 - numbers.length))) {
            throw new IllegalArgumentException("is no IPv4 address: its last part is too large");
        }
        long value = last;
        for (int i = 0; i < numbers.length - 1; i++) {
            value += numbers[i] << (8 * (3 - i));
        }
        return byAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static boolean endsInNumber(String last) {
        return !last.isEmpty() && (last.chars().allMatch(c -> c >= '0' && c <= '9') || number(last) >= 0);
    }

    /** One part of an IPv4 host as WHATWG reads it, or -1 when it is not a number. */
    private static long number(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.charAt(0) == '0') {
            radix = 8;
            digits = part.substring(1);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (asciiDigit(digits.charAt(i), radix) < 0) {
                return -1;
            }
        }
        long value = 0;
        for (int i = 0; i < digits.length() && value < TOO_LARGE; i++) {
            value = value * radix + asciiDigit(digits.charAt(i), radix);
        }
        return Math.min(value, TOO_LARGE);
    }

    /** The value of an ASCII digit in {@code radix}, or -1; unlike {@link Character#digit} it refuses other scripts. */
    private static int asciiDigit(char c, int radix) {
        int value = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        return value < radix ? value : -1;
    }

    private static InetAddress mapped(byte[] ipv4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, bytes, 12, 4);
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 16-byte address was refused", e);
        }
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address was refused", e);
        }
    }
}
