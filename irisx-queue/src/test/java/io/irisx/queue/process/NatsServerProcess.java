package io.irisx.queue.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code nats-server} with JetStream of a test's own, on a free loopback port with a temporary store, so a test
 * can stop and start it without touching the shared server; not thread-safe.
 */
public final class NatsServerProcess implements AutoCloseable {

    private final int port;
    private final Path store;
    private final String maxFileStore;
    private Process process;

    private NatsServerProcess(int port, Path store, String maxFileStore) {
        this.port = port;
        this.store = store;
        this.maxFileStore = maxFileStore;
    }

    /** Starts a server on a free port with a new temporary store. */
    public static NatsServerProcess start() {
        return start(null);
    }

    /**
     * Starts a server on a free port with a new temporary store of at most {@code maxFileStore} (a nats-server
     * size, e.g. {@code 64MB}): a small server, on which streams whose byte limits add up to more do not fit.
     */
    public static NatsServerProcess withMaxFileStore(String maxFileStore) {
        return start(maxFileStore);
    }

    private static NatsServerProcess start(String maxFileStore) {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            NatsServerProcess server = new NatsServerProcess(socket.getLocalPort(),
                    Files.createTempDirectory("irisx-nats-"), maxFileStore);
            socket.close();
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a test nats-server: " + e, e);
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the server again on the same port and store, and waits until it accepts connections. */
    public void startAgain() {
        try {
            process = new ProcessBuilder("nats-server", "-c", config().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(store.resolve("server.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run nats-server (scripts/test installs it): " + e, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    break;
                }
                sleep(50);
            }
        }
        throw new IllegalStateException("nats-server did not start on port " + port + "; see " + store.resolve("server.log"));
    }

    /** The server's configuration file: loopback, the port, JetStream on the store (and its size, if bounded). */
    private Path config() throws IOException {
        Path config = store.resolve("server.conf");
        Files.writeString(config, "listen: \"127.0.0.1:" + port + "\"\n"
                + "jetstream {\n  store_dir: \"" + store + "\"\n"
                + (maxFileStore == null ? "" : "  max_file_store: " + maxFileStore + "\n") + "}\n");
        return config;
    }

    /** Kills the server (SIGKILL), as a crash would, and waits for it to exit; its store stays. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes what JetStream stored (streams, messages, consumers), as a server that lost its disk would. */
    public void wipeStore() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("stop the server before wiping its store");
        }
        deleteTree(store.resolve("jetstream"));
    }

    /** Stops the server (SIGTERM) and waits for it to exit; its store stays. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server and deletes its store. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
        deleteTree(store);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
