package io.irisx.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of IPv4 or IPv6 addresses written in CIDR notation, such as {@code 10.0.0.0/8} or {@code fc00::/7};
 * immutable and thread-safe.
 */
public final class Subnet {

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Subnet(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Reads {@code address/prefix-length}; a bare address is a subnet of that one address.
     *
     * @throws IllegalArgumentException saying what is wrong, when the text is no subnet or has bits set after the
     *     prefix (a likely typo: {@code 10.0.0.1/8} is refused in favour of {@code 10.0.0.0/8})
     */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        String addressText = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] network;
        try {
            network = IpLiterals.parseAddress(addressText).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not a subnet: '" + addressText + "' " + e.getMessage(), e);
        }
        int bits = network.length * 8;
        int prefixLength = bits;
        if (slash >= 0) {
            String lengthText = cidr.substring(slash + 1);
            if (!lengthText.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(lengthText) > bits) {
                throw new IllegalArgumentException("'" + cidr + "' is not a subnet: the prefix length must be a number from "
                        + "0 to " + bits + ", was '" + lengthText + "'");
            }
            prefixLength = Integer.parseInt(lengthText);
        }
        Subnet subnet = new Subnet(network, prefixLength, slash < 0 ? cidr + "/" + prefixLength : cidr);
        byte[] masked = subnet.mask(network);
        if (!Arrays.equals(masked, network)) {
            throw new IllegalArgumentException("'" + cidr + "' has bits set after its /" + prefixLength + " prefix; did you mean "
                    + hostAddress(masked) + "/" + prefixLength + "?");
        }
        return subnet;
    }

    /** Whether the address, given as its 4 or 16 bytes, lies in this subnet; never for the other IP version. */
    public boolean contains(byte[] address) {
        return address.length == network.length && Arrays.equals(mask(address), network);
    }

    /**
     * Whether {@code address}, an IP address literal as a request's remote address is written (IPv6 with or without
     * brackets; an IPv4-mapped IPv6 address is its IPv4 address), lies in this subnet; false for anything else, a
     * name included (no name is ever looked up).
     */
    public boolean contains(String address) {
        try {
            return IpLiterals.parseHost(address).map(parsed -> contains(parsed.getAddress())).orElse(false);
        } catch (IllegalArgumentException | IndexOutOfBoundsException notAnAddress) {
            return false;
        }
    }

    private byte[] mask(byte[] address) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return masked;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Subnet that && prefixLength == that.prefixLength && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** The subnet in CIDR notation, as it was written. */
    @Override
    public String toString() {
        return text;
    }

    private static String hostAddress(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address was refused", e);
        }
    }
}
