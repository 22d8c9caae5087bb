package io.irisx.messaging.email.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 50.31.156.0/24}, {@code 2001:db8::/32}; a bare address
 * is a block of one), for a handler's allowlist of provider addresses; immutable and thread-safe. Only address
 * literals are read: no name is ever looked up. Not API.
 */
public final class IpNetwork {

    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\."
            + "(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private IpNetwork(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Reads {@code address/prefix-length}, or a bare address.
     *
     * @throws IllegalArgumentException saying what is wrong: not an address literal, a prefix length out of range,
     *     or bits set after the prefix ({@code 10.0.0.1/8} is refused in favour of {@code 10.0.0.0/8})
     */
    public static IpNetwork parse(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] network = literal(address).orElseThrow(() -> new IllegalArgumentException("'"
                + WebhookChecks.shown(cidr) + "' is not a network: '" + WebhookChecks.shown(address)
                + "' is not an IPv4 or IPv6 address"));
        int bits = network.length * 8;
        int prefixLength = bits;
        if (slash >= 0) {
            String length = cidr.substring(slash + 1);
            if (!length.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + WebhookChecks.shown(cidr) + "' is not a network: the prefix "
                        + "length must be 0 to " + bits);
            }
            prefixLength = Integer.parseInt(length);
        }
        IpNetwork parsed = new IpNetwork(network, prefixLength, slash < 0 ? cidr + "/" + bits : cidr);
        if (!Arrays.equals(parsed.masked(network), network)) {
            throw new IllegalArgumentException("'" + cidr + "' has bits set after its /" + prefixLength + " prefix");
        }
        return parsed;
    }

    /** Whether {@code address}, an IP address literal, lies in this block; false for anything else. */
    public boolean contains(String address) {
        return literal(address).filter(bytes -> bytes.length == network.length)
                .map(bytes -> Arrays.equals(masked(bytes), network)).orElse(false);
    }

    /**
     * The bytes of an address literal: dotted-quad IPv4, or IPv6 (in brackets or not); an IPv4-mapped IPv6 address
     * is its IPv4 address. Empty for anything else, names included.
     */
    static Optional<byte[]> literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        Matcher v4 = IPV4.matcher(bare);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(bytes);
        }
        if (bare.indexOf(':') >= 0 && IPV6.matcher(bare).matches()) {
            try {
                // A literal with a colon is parsed, never looked up.
                return Optional.of(InetAddress.getByName(bare).getAddress());
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private byte[] masked(byte[] address) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            masked[i] &= (byte) (0xFF << (8 - keep));
        }
        return masked;
    }

    @Override
    public String toString() {
        return text;
    }
}
