package io.irisx.messaging.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeywordTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"STOP|STOP", "stop|STOP", "  Stop.  |STOP", "stop! . !|STOP",
            "unsubscribe!!!|STOP", "START.|START", "help?|NONE", "info|HELP", "stop now|NONE", "!!!|NONE",
            ".stop|NONE", "S T O P|NONE"})
    void a_body_is_a_keyword_whatever_its_case_surrounding_spaces_and_final_marks(String body, Keyword keyword) {
        assertThat(Keyword.of(body)).isEqualTo(keyword);
    }

    @org.junit.jupiter.api.Test
    void a_keyword_followed_by_many_marks_is_still_that_keyword() {
        assertThat(Keyword.of("STOP" + "!".repeat(100_000))).isEqualTo(Keyword.STOP);
        assertThat(Keyword.of("!".repeat(100_000))).isEqualTo(Keyword.NONE);
        assertThat(Keyword.of("\u2003help.\u2003")).isEqualTo(Keyword.HELP);
    }
}
