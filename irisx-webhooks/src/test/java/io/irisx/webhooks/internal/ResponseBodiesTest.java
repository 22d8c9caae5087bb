package io.irisx.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import okio.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The start of a response body, kept as text, never ending in half a character. */
class ResponseBodiesTest {

    private static String read(String body, int limit) throws IOException {
        return ResponseBodies.read(new Buffer().writeUtf8(body), limit);
    }

    @Test
    @DisplayName("A body within the limit is kept whole")
    void short_body() throws IOException {
        assertThat(read("héllo €", 100)).isEqualTo("héllo €");
        assertThat(read("", 100)).isEmpty();
    }

    @Test
    @DisplayName("A cut through a 2, 3 or 4-byte character drops that character")
    void cut_characters_are_dropped() throws IOException {
        assertThat(read("ééé", 5)).isEqualTo("éé");
        assertThat(read("€€", 4)).isEqualTo("€");
        assertThat(read("€€", 5)).isEqualTo("€");
        assertThat(read("a😀", 4)).isEqualTo("a");
        assertThat(read("a😀b", 5)).isEqualTo("a😀");
        assertThat(read("abc", 2)).isEqualTo("ab");
        assertThat(read("abc", 0)).isEmpty();
    }
}
