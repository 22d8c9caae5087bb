package io.irisx.webhooks.internal;

import io.irisx.core.net.Subnet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges an outbound webhook may not reach, each with the reason it is refused; thread-safe (immutable).
 *
 * <p>IPv6 forms that carry an IPv4 address are judged by the IPv4 address they carry, because that is where the
 * packets end up: {@code ::ffff:127.0.0.1} is loopback, {@code 64:ff9b::808:808} is 8.8.8.8. These are IPv4-mapped
 * {@code ::ffff:0:0/96}, IPv4-translated {@code ::ffff:0:0:0/96} (RFC 2765), the deprecated IPv4-compatible
 * {@code ::/96}, NAT64 {@code 64:ff9b::/96} (RFC 6052), each carrying the IPv4 address in its last 32 bits, and 6to4
 * {@code 2002::/16}, carrying it in bits 16 to 47. Each of them is refused when the IPv4 address is, and allowed when
 * it is public, since a translator or relay then takes the packets to that public address and nowhere else.
 *
 * <p>Two forms are refused whatever they carry. Teredo {@code 2001::/32} carries its server's IPv4 address in bits 32
 * to 63 and its client's, inverted, in the last 32 bits; either may be forbidden, and a tunnel through a third party's
 * relay is no place for a webhook, so the refusal names a forbidden one when there is one and Teredo otherwise.
 * Local-use NAT64 {@code 64:ff9b:1::/48} (RFC 8215) is a network's own translator, whose prefix length, and so where
 * it holds the IPv4 address, only that network knows; the whole /48 is refused.
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
            new Rule("2001:db8::/32", "documentation"),
            new Rule("3fff::/20", "documentation"),
            // Holds fd00:ec2::254, the AWS instance metadata service over IPv6.
            new Rule("fc00::/7", "unique-local, private IPv6"),
            new Rule("fe80::/10", "link-local"),
            new Rule("fec0::/10", "deprecated site-local"),
            new Rule("ff00::/8", "multicast"));

    /** Forms carrying an IPv4 address in their last 32 bits. */
    private static final List<Subnet> LAST_32_BITS = List.of(
            Subnet.parse("::ffff:0:0/96"),
            Subnet.parse("::ffff:0:0:0/96"),
            Subnet.parse("::/96"),
            Subnet.parse("64:ff9b::/96"));
    private static final Subnet SIX_TO_FOUR = Subnet.parse("2002::/16");
    private static final Subnet TEREDO = Subnet.parse("2001::/32");
    private static final String TEREDO_REASON = "Teredo tunnelling (2001::/32), refused whatever addresses it carries";

    /** An IPv4 address carried inside an IPv6 one, and the part it plays there ("" when it is simply the address). */
    private record Carried(byte[] ipv4, String role) {
    }

    private AddressRules() {
    }

    /**
     * Why this address is refused, or empty when it may be reached: when it is in none of the ranges, or is in one of
     * the allowed subnets (an IPv6 address carrying an IPv4 one is allowed when the IPv4 address is, unless it is Teredo).
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
        for (Carried carried : carriedIpv4(bytes)) {
            InetAddress ipv4 = ipv4(carried.ipv4());
            Optional<String> why = blockReason(ipv4, allowed);
            if (why.isPresent()) {
                return Optional.of("it carries " + ipv4.getHostAddress() + carried.role() + ", " + why.get());
            }
        }
        return TEREDO.contains(bytes) ? Optional.of(TEREDO_REASON) : Optional.empty();
    }

    /** The IPv4 addresses inside an IPv6 address of a form that carries them; none for any other address. */
    private static List<Carried> carriedIpv4(byte[] bytes) {
        if (LAST_32_BITS.stream().anyMatch(form -> form.contains(bytes))) {
            return List.of(new Carried(Arrays.copyOfRange(bytes, 12, 16), ""));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return List.of(new Carried(Arrays.copyOfRange(bytes, 2, 6), ""));
        }
        if (TEREDO.contains(bytes)) {
            byte[] client = Arrays.copyOfRange(bytes, 12, 16);
            for (int i = 0; i < client.length; i++) {
                client[i] ^= (byte) 0xff;
            }
            return List.of(new Carried(Arrays.copyOfRange(bytes, 4, 8), " as its Teredo server"),
                    new Carried(client, " as its Teredo client"));
        }
        return List.of();
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address was refused", e);
        }
    }
}
