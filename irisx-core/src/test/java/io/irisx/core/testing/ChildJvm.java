package io.irisx.core.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A test's main class running in a JVM of its own, on this JVM's class path, to be killed as a crash would; thread-safe.
 * The main class prints {@code ready} once it may be watched, and exits when its standard input closes.
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::readOutput, "child-" + name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with {@code args} and waits until it says {@code ready}. */
    public static ChildJvm start(String name, Class<?> main, String... args) {
        return start(name, System.getProperty("java.class.path"), main, args);
    }

    /**
     * As {@link #start}, on this JVM's class path less every entry whose path contains {@code without}: a host
     * that lacks an optional dependency.
     */
    public static ChildJvm startWithout(String name, String without, Class<?> main, String... args) {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains(without)).collect(Collectors.joining(File.pathSeparator));
        return start(name, classPath, main, args);
    }

    private static ChildJvm start(String name, String classPath, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classPath,
                main.getName()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            ChildJvm child = new ChildJvm(name, process);
            child.awaitLine("ready", Duration.ofSeconds(60));
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("starting " + name + " failed: " + e, e);
        }
    }

    /** Waits for a line starting with {@code prefix} and returns it. */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException(name + " never printed '" + prefix + "'; its output:\n" + String.join("\n", lines));
    }

    /** What follows {@code prefix} on each line printed so far that starts with it, in order. */
    public List<String> linesAfter(String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length())).toList();
    }

    /** Writes {@code line} to the process's standard input, for a main class that waits for a word to go on. */
    public void send(String line) {
        try {
            OutputStream input = process.getOutputStream();
            input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to " + name + " failed", e);
        }
    }

    /** Kills the process at once with SIGKILL, as a crash: nothing of it runs after this returns. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the process to close its outbox and exit, and waits for it. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (IOException e) {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output ended: " + e + ")");
        }
    }
}
