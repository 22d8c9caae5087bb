package io.irisx.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogCaptureTest {

    private static final Logger log = LoggerFactory.getLogger("io.irisx.testing.example");

    @Test
    void it_keeps_the_lines_logged_while_open_by_level_and_logger_prefix() {
        log.warn("before the capture");
        try (LogCapture logs = LogCapture.start()) {
            log.warn("provider {} down", "resend");
            log.error("dead after 2 attempts");
            LoggerFactory.getLogger("org.example").warn("not IRISX's");

            assertThat(logs.lines("io.irisx.testing")).containsExactly(
                    "WARN io.irisx.testing.example - provider resend down",
                    "ERROR io.irisx.testing.example - dead after 2 attempts");
            assertThat(logs.lines("ERROR", "io.irisx")).containsExactly(
                    "ERROR io.irisx.testing.example - dead after 2 attempts");
        }
    }

    @Test
    void it_refuses_a_backend_other_than_slf4j_simple_and_names_it() {
        assertThatThrownBy(() -> LogCapture.requireSimpleLogger("ch.qos.logback.classic.LoggerContext"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ch.qos.logback.classic.LoggerContext")
                .hasMessageContaining("org.slf4j:slf4j-simple");
    }
}
