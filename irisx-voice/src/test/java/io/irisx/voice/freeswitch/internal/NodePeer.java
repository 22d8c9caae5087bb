package io.irisx.voice.freeswitch.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm package {@code esl} at the version {@code src/test/node/package-lock.json} pins, installed with
 * {@code npm ci} into {@code target/esl-peer/} and run with the machine's Node.js.
 */
final class NodePeer {

    static final Path SOURCES = Path.of("src/test/node");
    static final Path DIRECTORY = Path.of("target/esl-peer");

    private NodePeer() {
    }

    /** Whether {@code node} and {@code npm} run. */
    static boolean available() {
        try {
            return run(Path.of("."), 30, "node", "--version").startsWith("v")
                    && !run(Path.of("."), 30, "npm", "--version").isBlank();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Installs the peer (once per build) and returns its folder. */
    static synchronized Path install() throws IOException {
        Files.createDirectories(DIRECTORY);
        for (String file : List.of("package.json", "package-lock.json", "peer.mjs", "parse-bench.mjs")) {
            if (Files.exists(SOURCES.resolve(file))) {
                Files.copy(SOURCES.resolve(file), DIRECTORY.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.exists(DIRECTORY.resolve("node_modules/esl/package.json"))) {
            run(DIRECTORY, 300, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        }
        return DIRECTORY;
    }

    /** Runs {@code command} in {@code directory} and returns its output; fails on a non-zero exit or a timeout. */
    static String run(Path directory, int seconds, String... command) throws IOException {
        Path log = Files.createTempFile("esl-peer", ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took over " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
                    + output);
        }
        return output;
    }
}
