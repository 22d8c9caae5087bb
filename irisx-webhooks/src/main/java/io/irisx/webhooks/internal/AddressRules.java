package io.irisx.webhooks.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges an outbound webhook may not reach, each with the reason it is refused; thread-safe (immutable).
 *
 * <p>IPv6 forms that carry an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96}, NAT64
 * {@code 64:ff9b::/96} and 6to4 {@code 2002::/16}) are judged by the IPv4 address they carry, because that is where
 * the packets end up: {@code ::ffff:127.0.0.1} is loopback, {@code 64:ff9b::808:808} is 8.8.8.8.
 */
public final class AddressRules {

    private record Rule(Subnet subnet, String reason) {
        Rule(String cidr, String what) {
            this(Subnet.parse(cidr), what + " (" + cidr + ")");
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("255.255.255.255/32", "the broadcast address"),
            new Rule("0.0.0.0/8", "'this network', which reaches the local host"),
            new Rule("10.0.0.0/8", "a private network, RFC 1918"),
            new Rule("100.64.0.0/10", "carrier-grade NAT shared space"),
            new Rule("127.0.0.0/8", "loopback"),
            new Rule("169.254.0.0/16", "link-local, home of cloud metadata services"),
            new Rule("172.16.0.0/12", "a private network, RFC 1918"),
            new Rule("192.0.0.0/24", "IETF protocol assignments"),
            new Rule("192.0.2.0/24", "documentation, TEST-NET-1"),
            new Rule("192.88.99.0/24", "the deprecated 6to4 relay anycast"),
            new Rule("192.168.0.0/16", "a private network, RFC 1918"),
            new Rule("198.18.0.0/15", "benchmarking"),
            new Rule("198.51.100.0/24", "documentation, TEST-NET-2"),
            new Rule("203.0.113.0/24", "documentation, TEST-NET-3"),
            new Rule("224.0.0.0/4", "multicast"),
            new Rule("240.0.0.0/4", "reserved"),
            new Rule("::/128", "the unspecified address"),
            new Rule("::1/128", "loopback"),
            new Rule("64:ff9b:1::/48", "local-use NAT64"),
            new Rule("100::/64", "discard-only"),
            new Rule("2001::/32", "Teredo tunnelling"),
            new Rule("2001:db8::/32", "documentation"),
            new Rule("3fff::/20", "documentation"),
            // Holds fd00:ec2::254, the AWS instance metadata service over IPv6.
            new Rule("fc00::/7", "unique-local, private IPv6"),
            new Rule("fe80::/10", "link-local"),
            new Rule("fec0::/10", "deprecated site-local"),
            new Rule("ff00::/8", "multicast"));

    private static final Subnet MAPPED = Subnet.parse("::ffff:0:0/96");
    private static final Subnet COMPATIBLE = Subnet.parse("::/96");
    private static final Subnet NAT64 = Subnet.parse("64:ff9b::/96");
    private static final Subnet SIX_TO_FOUR = Subnet.parse("2002::/16");

    private AddressRules() {
    }

    /**
     * Why this address is refused, or empty when it may be reached: when it is in none of the ranges, or is in one of
     * the allowed subnets (an IPv6 address carrying an IPv4 one is allowed when the IPv4 address is).
     */
    public static Optional<String> blockReason(InetAddress address, List<Subnet> allowed) {
        byte[] bytes = address.getAddress();
        if (allowed.stream().anyMatch(subnet -> subnet.contains(bytes))) {
            return Optional.empty();
        }
        Optional<String> reason = RULES.stream()
                .filter(rule -> rule.subnet().contains(bytes))
                .map(Rule::reason)
                .findFirst();
        if (reason.isPresent()) {
            return reason;
        }
        byte[] embedded = embeddedIpv4(bytes);
        if (embedded == null) {
            return Optional.empty();
        }
        InetAddress ipv4 = ipv4(embedded);
        return blockReason(ipv4, allowed).map(why -> "it carries " + ipv4.getHostAddress() + ", " + why);
    }

    /** The IPv4 address inside an IPv6 address of a form that carries one, or null. */
    private static byte[] embeddedIpv4(byte[] bytes) {
        if (MAPPED.contains(bytes) || COMPATIBLE.contains(bytes) || NAT64.contains(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return Arrays.copyOfRange(bytes, 2, 6);
        }
        return null;
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address was refused", e);
        }
    }
}
