package io.irisx.webhooks.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Makes sockets that refuse to connect to an address the SSRF guard's {@link GuardChecks} refuse; thread-safe.
 *
 * <p>This is the last check before a packet leaves: it judges the address actually dialled, whatever produced it.
 * OkHttp never asks its {@code Dns} about a host written as an IP address, and reads some spellings differently from
 * browsers ({@code 010.0.0.1} is 10.0.0.1 to Java, 8.0.0.1 to a browser), so without this a literal host would skip
 * the guard.
 */
public final class GuardedSocketFactory extends SocketFactory {

    private final GuardChecks guard;

    public GuardedSocketFactory(GuardChecks guard) {
        this.guard = guard;
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket(guard);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = createSocket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static final class GuardedSocket extends Socket {
        private final GuardChecks guard;

        GuardedSocket(GuardChecks guard) {
            this.guard = guard;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            // An unresolved address is not judged here: a plain socket refuses to connect to one anyway.
            if (endpoint instanceof InetSocketAddress remote && !remote.isUnresolved()) {
                var blocked = guard.refusal(remote.getHostString(), remote.getAddress());
                if (blocked.isPresent()) {
                    var refused = new ConnectException(blocked.get().getMessage());
                    refused.initCause(blocked.get());
                    throw refused;
                }
            }
            super.connect(endpoint, timeout);
        }
    }
}
