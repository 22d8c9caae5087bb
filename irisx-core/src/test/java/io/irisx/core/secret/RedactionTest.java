package io.irisx.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://ada:pw@api.example/x|https://ada:****@api.example/x",
        "https://ada:p@ss/w@api.example/x|https://ada:****@ss/w@api.example/x",
        "https://ada:p@ss@api.example/x|https://ada:****@api.example/x",
        "jdbc:postgresql://db/irisx?user=ada&password=pw|jdbc:postgresql://db/irisx?user=ada&password=****",
        // Mistyped URLs, which some parsers read as having user info all the same.
        "https:/ada:pw@api.example|https:/ada:****@api.example",
        "https: /ada:pw@api.example|https: /ada:****@api.example",
        "ada:pw@api.example|ada:****@api.example",
        "#ada:pw@api.example|#ada:****@api.example",
        "a:b:c@api.example|a:****@api.example",
        // Text that holds no user info stays as it is.
        "https://api.example/a?x=1#y@z|https://api.example/a?x=1#y@z",
        "FATAL: password authentication failed for user \"ada\"@host|FATAL: password authentication failed for user \"ada\"@host",
    })
    void a_password_in_user_info_is_masked_wherever_the_user_info_starts(String url, String shown) {
        assertThat(Redaction.url(url)).isEqualTo(shown);
    }

    @Test
    void a_password_after_a_control_character_is_masked() {
        assertThat(Redaction.url("\0https://ada:pw@::1")).isEqualTo("\0https://ada:****@::1");
        assertThat(Redaction.url("\0https:/ada:pw@::1")).isEqualTo("\0https:/ada:****@::1");
        assertThat(Redaction.url("https:\\\\ada:pw@api.example")).isEqualTo("https:\\\\ada:****@api.example");
    }
}
