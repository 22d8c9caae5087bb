package io.irisx.benchmarks.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Event Socket events parsed per second by IRISX's codec and by the npm package {@code esl} (11.2.1, its
 * {@code FreeSwitchResponse} parser run with Node.js) on the same bytes: the {@link EslStream} written to a file, which
 * each side reads in 64 KiB chunks, for a warm-up and then a measured time of 5 s each. Prints one {@code bench:} line;
 * a command-line program of {@code scripts/bench voice}, which needs {@code node} and {@code npm} (the peer is
 * installed with {@code npm ci} from {@code irisx-voice/src/test/node} into {@code benchmarks/target/esl-peer}).
 */
public final class EslPeerBenchmark {

    private static final double SECONDS = 5;

    private EslPeerBenchmark() {
    }

    /**
     * Runs both and prints the comparison.
     *
     * @param args ignored
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("irisx.root", "."));
        Path peer = root.resolve("benchmarks/target/esl-peer");
        Files.createDirectories(peer);
        for (String file : List.of("package.json", "package-lock.json", "parse-bench.mjs")) {
            Files.copy(root.resolve("irisx-voice/src/test/node").resolve(file), peer.resolve(file),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(peer.resolve("node_modules/esl/package.json"))) {
            run(peer, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        }
        byte[] stream = EslStream.of(EslParseBenchmark.CALLS);
        Path file = peer.resolve("esl-stream.txt");
        Files.write(file, stream);
        int perStream = EslParseBenchmark.parse(stream);
        if (perStream != EslParseBenchmark.CALLS * EslStream.EVENTS_PER_CALL) {
            throw new IllegalStateException("the stream holds " + perStream + " events, not "
                    + EslParseBenchmark.CALLS * EslStream.EVENTS_PER_CALL);
        }

        measure(stream, SECONDS);
        double ours = measure(stream, SECONDS);
        JsonNode theirs = new ObjectMapper().readTree(run(peer, "node", "parse-bench.mjs", file.toString(),
                String.valueOf(SECONDS), String.valueOf(SECONDS)));
        double peerRate = theirs.path("eventsPerSecond").asDouble();
        System.out.println(String.format(Locale.ROOT, "bench: voice.esl-parse (%d plain events of %d calls, %d KiB,"
                + " 64 KiB chunks) | ours=%.0f events/s | peer=%.0f events/s (npm esl 11.2.1 FreeSwitchResponse on"
                + " Node %s) | ratio=%.2f", perStream, EslParseBenchmark.CALLS, stream.length / 1024, ours, peerRate,
                run(peer, "node", "--version").strip(), ours / peerRate));
    }

    /** Events per second IRISX's codec parses from {@code stream}, over {@code seconds}. */
    private static double measure(byte[] stream, double seconds) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long events = 0;
        long now = start;
        while (now < end) {
            events += EslParseBenchmark.parse(stream);
            now = System.nanoTime();
        }
        return events / ((now - start) / 1e9);
    }

    private static String run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                    + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
