package io.irisx.examples;

import io.irisx.queue.TestNats;
import io.nats.client.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A three-node NATS cluster with JetStream of a test's own, on free loopback ports with temporary stores, for streams
 * kept in three replicas; not thread-safe. Each node's output goes to {@code node-N.log} in its directory.
 */
final class NatsCluster implements AutoCloseable {

    private static final int NODES = 3;
    private static final Duration READY = Duration.ofSeconds(60);

    private final Path directory;
    private final int[] clientPorts = new int[NODES];
    private final int[] routePorts = new int[NODES];
    private final List<Process> processes = new ArrayList<>();

    private NatsCluster(Path directory) {
        this.directory = directory;
    }

    /** Starts the three nodes and returns once JetStream answers in the cluster (its meta leader is elected). */
    static NatsCluster start() {
        NatsCluster cluster;
        try {
            cluster = new NatsCluster(Files.createTempDirectory("irisx-nats-cluster-"));
        } catch (IOException e) {
            throw new UncheckedIOException("creating the cluster's directory failed", e);
        }
        try {
            cluster.launch();
            cluster.awaitJetStream();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The URLs of the three nodes, comma-separated, as a client is given a cluster's seeds. */
    String url() {
        return Stream.of(0, 1, 2).map(node -> "nats://127.0.0.1:" + clientPorts[node])
                .collect(Collectors.joining(","));
    }

    private void launch() {
        for (int node = 0; node < NODES; node++) {
            clientPorts[node] = freePort();
            routePorts[node] = freePort();
        }
        for (int node = 0; node < NODES; node++) {
            Path config = directory.resolve("node-" + node + ".conf");
            try {
                Files.writeString(config, config(node));
                processes.add(new ProcessBuilder("nats-server", "-c", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("node-" + node + ".log").toFile())
                        .start());
            } catch (IOException e) {
                throw new IllegalStateException("cannot run nats-server (scripts/test installs it): " + e, e);
            }
        }
    }

    /** Node {@code node}'s configuration: its name, client and route ports on loopback, its store, every route. */
    private String config(int node) {
        String routes = Stream.of(0, 1, 2).map(other -> "\"nats://127.0.0.1:" + routePorts[other] + "\"")
                .collect(Collectors.joining(", "));
        return "server_name: \"readme-" + node + "\"\n"
                + "listen: \"127.0.0.1:" + clientPorts[node] + "\"\n"
                + "jetstream {\n  store_dir: \"" + directory.resolve("store-" + node) + "\"\n}\n"
                + "cluster {\n  name: \"readme\"\n  listen: \"127.0.0.1:" + routePorts[node] + "\"\n"
                + "  routes: [" + routes + "]\n}\n";
    }

    private void awaitJetStream() {
        Awaitility.await("JetStream in the three-node cluster at " + url() + " (logs in " + directory + ")")
                .atMost(READY).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    try (Connection connection = TestNats.connect(url())) {
                        return connection.jetStreamManagement().getAccountStatistics() != null;
                    }
                });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** Stops every node and deletes the stores. */
    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
