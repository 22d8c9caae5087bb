package io.irisx.webhooks.ssrf;

import io.irisx.core.IrisxException;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook host means an address the {@link SsrfPolicy} forbids, such as loopback, a private network or a cloud
 * metadata service, so nothing was sent to it. Retrying cannot help: only the endpoint's URL or the policy can.
 */
public final class BlockedAddressException extends IrisxException {

    private final String host;
    private final InetAddress address;
    private final String reason;

    /**
     * @param host the host as the URL wrote it
     * @param address the address it means, literally or once resolved
     * @param reason why that address is refused, e.g. {@code "loopback (127.0.0.0/8)"}
     */
    public BlockedAddressException(String host, InetAddress address, String reason) {
        super("webhook host '" + host + "' means " + Objects.requireNonNull(address, "address").getHostAddress()
                + ", which is " + reason + "; webhooks may not reach it (if the endpoint is meant to be internal, "
                + "allow its subnet in the SsrfPolicy)");
        this.host = host;
        this.address = address;
        this.reason = reason;
    }

    /**
     * The refusal behind an I/O failure of a client configured by {@link SsrfGuard#configure}, if that is why it
     * failed: OkHttp reports a refused lookup or connection as an {@link java.io.IOException} caused by this.
     */
    public static Optional<BlockedAddressException> findIn(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof BlockedAddressException blocked) {
                return Optional.of(blocked);
            }
        }
        return Optional.empty();
    }

    /** The host as the URL wrote it. */
    public String host() {
        return host;
    }

    /** The address that was refused. */
    public InetAddress address() {
        return address;
    }

    /** Why the address is refused, naming the range it lies in. */
    public String reason() {
        return reason;
    }
}
