package io.irisx.webhooks.internal;

import io.irisx.core.IrisxException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * What the OkHttp wiring of webhook deliveries ({@link GuardInterceptor}, {@link GuardedDns},
 * {@link GuardedSocketFactory}) asks of the SSRF guard that sets it up; implementations are thread-safe.
 *
 * <p>The wiring knows the guard only through this interface, so the public guard depends on its internals and not
 * the other way round. A refusal is the guard's own exception, an {@link IrisxException}; the wiring hands it to
 * OkHttp as the cause of the I/O exception OkHttp expects.
 */
public interface GuardChecks {

    /** Whether requests over plain http are refused. */
    boolean httpsOnly();

    /**
     * The addresses of {@code host}, each checked: the address itself when the host is written as one, else what the
     * guard's resolver answers.
     *
     * @throws IrisxException the refusal, when the host means a forbidden address or any of its addresses is one
     * @throws UnknownHostException when the name does not resolve, or is written as an IP address but is not one
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** Why a socket may not connect to {@code address}, dialled for {@code host}; empty when the address is allowed. */
    Optional<IrisxException> refusal(String host, InetAddress address);
}
