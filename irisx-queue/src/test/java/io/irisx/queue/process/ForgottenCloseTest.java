package io.irisx.queue.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.queue.TestNats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that forgets to close a runtime with the JetStream outbox still exits: every thread IRISX starts, the NATS
 * connection's included, is a daemon thread.
 */
class ForgottenCloseTest {

    private final String namespace = TestNats.namespace();

    @TempDir
    Path data;

    @AfterEach
    void deleteStreams() {
        TestNats.deleteStreams(namespace);
    }

    @Test
    void a_jvm_whose_main_returns_without_closing_the_runtime_exits() throws Exception {
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                ForgottenCloseMain.class.getName(), TestNats.url(), data.toString(), namespace))
                .redirectErrorStream(true).redirectOutput(data.resolve("output.txt").toFile()).start();
        try {
            // Starting a JVM on a shared machine takes seconds; once main returns, exiting takes well under one.
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            String output = Files.readString(data.resolve("output.txt"), StandardCharsets.UTF_8);
            assertThat(exited).as("the child JVM exited; its output:%n%s", output).isTrue();
            assertThat(output).contains("started");
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
