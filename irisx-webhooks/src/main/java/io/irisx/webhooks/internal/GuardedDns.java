package io.irisx.webhooks.internal;

import io.irisx.core.IrisxException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * OkHttp's name lookup through the SSRF guard's {@link GuardChecks}: it answers only addresses the guard checked, so
 * OkHttp connects to exactly those and a second, rebinding answer from DNS is never used; thread-safe.
 */
public final class GuardedDns implements Dns {

    private final GuardChecks guard;

    public GuardedDns(GuardChecks guard) {
        this.guard = guard;
    }

    /** The checked addresses of {@code hostname}; a refusal is an {@link UnknownHostException} caused by it. */
    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        try {
            return guard.resolve(hostname);
        } catch (IrisxException blocked) {
            // OkHttp expects lookups to fail with UnknownHostException; anything unchecked would crash its call.
            UnknownHostException refused = new UnknownHostException(blocked.getMessage());
            refused.initCause(blocked);
            throw refused;
        }
    }
}
