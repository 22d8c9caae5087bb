package io.irisx.webhooks.ssrf;

import io.irisx.webhooks.internal.AddressRules;
import io.irisx.core.net.Subnet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which addresses and schemes outbound webhooks may use; immutable and thread-safe.
 *
 * <p>The default policy refuses every address that is not on the public internet: loopback, the RFC 1918 private
 * networks, link-local (where cloud metadata services answer, 169.254.169.254 and fd00:ec2::254), carrier-grade NAT,
 * unique-local IPv6, multicast, broadcast, reserved, benchmarking and documentation ranges, the unspecified
 * addresses, and IPv6 forms (IPv4-mapped, IPv4-translated, IPv4-compatible, NAT64, 6to4) carrying any of these IPv4
 * addresses; Teredo and local-use NAT64 ({@code 64:ff9b:1::/48}) are refused whatever they carry. Subnets
 * on the {@linkplain Builder#allow(String) allowlist} are permitted even so; a host whose webhooks go to its own
 * network, or a test speaking to a local server, allows that network and nothing more.
 */
public final class SsrfPolicy {

    private static final SsrfPolicy DEFAULTS = builder().build();

    private final List<Subnet> allowed;
    private final boolean httpsOnly;

    private SsrfPolicy(Builder builder) {
        this.allowed = List.copyOf(builder.allowed);
        this.httpsOnly = builder.httpsOnly;
    }

    /** Every non-public address refused, nothing allowlisted, http and https both accepted. */
    public static SsrfPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's settings. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.allowed.addAll(allowed);
        builder.httpsOnly = httpsOnly;
        return builder;
    }

    /** The allowlisted subnets, in CIDR notation, in the order they were added. */
    public List<String> allowedSubnets() {
        return allowed.stream().map(Subnet::toString).toList();
    }

    /** Whether webhook URLs must use https. */
    public boolean httpsOnly() {
        return httpsOnly;
    }

    /** Why webhooks may not reach this address, naming its range; empty when they may. */
    public Optional<String> blockReason(InetAddress address) {
        return AddressRules.blockReason(Objects.requireNonNull(address, "address"), allowed);
    }

    @Override
    public String toString() {
        return "SsrfPolicy[allowed=" + allowed + ", httpsOnly=" + httpsOnly + "]";
    }

    /** Builds an {@link SsrfPolicy}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final List<Subnet> allowed = new ArrayList<>();
        private boolean httpsOnly;

        private Builder() {
        }

        /**
         * Permits a subnet even where the policy would refuse it, e.g. {@code "10.20.0.0/16"}, {@code "fd12:3456::/32"}
         * or a single address {@code "10.20.0.7"}.
         *
         * @throws IllegalArgumentException when {@code cidr} is not a subnet in CIDR notation, or has bits set after
         *     its prefix length
         */
        public Builder allow(String cidr) {
            Objects.requireNonNull(cidr, "cidr");
            try {
                allowed.add(Subnet.parse(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allow: " + e.getMessage(), e);
            }
            return this;
        }

        /** Whether webhook URLs must use https; off by default. */
        public Builder httpsOnly(boolean httpsOnly) {
            this.httpsOnly = httpsOnly;
            return this;
        }

        /** A policy with these settings; the builder may be used again. */
        public SsrfPolicy build() {
            return new SsrfPolicy(this);
        }
    }
}
