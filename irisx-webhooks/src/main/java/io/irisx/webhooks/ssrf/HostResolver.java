package io.irisx.webhooks.ssrf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Finds the addresses of a host name, for the {@link SsrfGuard} to check; implementations must be thread-safe.
 *
 * <p>The guard asks only about names: IP literals in any spelling are read by the guard itself. Tests pass a
 * resolver that answers from a map, so that they reach chosen addresses without real DNS.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * The addresses of {@code host}, in the order they should be tried.
     *
     * @throws UnknownHostException when the name has no addresses
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver, {@link InetAddress#getAllByName(String)}: the system's DNS, hosts file and JVM cache. */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
