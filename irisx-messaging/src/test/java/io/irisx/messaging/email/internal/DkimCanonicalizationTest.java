package io.irisx.messaging.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link DkimCanonicalization} against RFC 6376 §3.4.2 and §3.4.4 (https://www.rfc-editor.org/rfc/rfc6376#section-3.4),
 * starting with the worked example of §3.4.5.
 */
class DkimCanonicalizationTest {

    @Test
    void rfc_6376_example_headers_are_lower_cased_unfolded_and_reduced() {
        // §3.4.5: "A: <SP> X <CRLF>" and "B <SP> : <SP> Y <HTAB><CRLF> <HTAB> Z <SP><SP><CRLF>"
        assertThat(DkimCanonicalization.relaxedHeader("A: X")).isEqualTo("a:X");
        assertThat(DkimCanonicalization.relaxedHeader("B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z");
    }

    @Test
    void rfc_6376_example_body_loses_trailing_white_space_and_trailing_empty_lines() {
        // §3.4.5: "<SP> C <SP><CRLF>", "D <SP><HTAB><SP> E <CRLF>", then two empty lines; relaxed: " C", "D E".
        assertThat(body(" C \r\nD \t E\r\n\r\n\r\n")).isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void a_header_keeps_the_case_of_its_value_and_loses_white_space_around_the_colon() {
        assertThat(DkimCanonicalization.relaxedHeader("Subject \t:  \tIs Dinner  Ready? \r\n \t"))
                .isEqualTo("subject:Is Dinner Ready?");
        assertThat(DkimCanonicalization.relaxedHeader("X-Empty:")).isEqualTo("x-empty:");
        assertThat(DkimCanonicalization.relaxedHeader("X-Blank: \r\n ")).isEqualTo("x-blank:");
    }

    @Test
    void a_header_without_a_colon_is_refused() {
        assertThatThrownBy(() -> DkimCanonicalization.relaxedHeader("no colon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colon");
    }

    @Test
    void an_empty_body_and_a_body_of_empty_lines_canonicalize_to_nothing() {
        // §3.4.4: relaxed turns an empty body into nothing at all (where simple makes it one CRLF).
        assertThat(body("")).isEmpty();
        assertThat(body("\r\n\r\n\r\n")).isEmpty();
        assertThat(body(" \t\r\n\t\r\n")).isEmpty();
    }

    @Test
    void a_last_line_without_crlf_gets_one() {
        assertThat(body("Hi.\r\nJoe.")).isEqualTo("Hi.\r\nJoe.\r\n");
        assertThat(body("Joe. \t")).isEqualTo("Joe.\r\n");
    }

    @Test
    void empty_lines_inside_the_body_stay_and_white_space_only_lines_become_empty() {
        assertThat(body("Hi.\r\n\r\n \t \r\nJoe.\r\n\r\n")).isEqualTo("Hi.\r\n\r\n\r\nJoe.\r\n");
    }

    @Test
    void the_body_starts_where_it_is_told_and_bytes_are_kept_as_they_are() {
        byte[] message = "Subject: x\r\n\r\ncaf\u00e9  \u00fc\r\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DkimCanonicalization.relaxedBody(message, "Subject: x\r\n\r\n".length(), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("caf\u00e9 \u00fc\r\n");
    }

    @Test
    void a_long_line_is_handled_whole() {
        String line = "x ".repeat(5000).strip();
        assertThat(body(line.replace(" ", "  ") + "\r\n")).isEqualTo(line + "\r\n");
    }

    private static String body(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DkimCanonicalization.relaxedBody(body.getBytes(StandardCharsets.ISO_8859_1), 0, out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
