package io.irisx.messaging.sms;

import static io.irisx.messaging.sms.Segments.Encoding.GSM_7;
import static io.irisx.messaging.sms.Segments.Encoding.UCS_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.irisx.messaging.sms.Segments.Encoding;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Texts counted into SMS segments. The segment counts of every non-empty row agree with Twilio's segment calculator
 * (github.com/TwilioDevEd/message-segment-calculator, {@code SegmentedMessage}: 140-octet segments, 6 octets of user
 * data header in each part of a concatenated message, a character never split across parts), and so do its
 * character counts for GSM-7; where they differ it is on purpose: Twilio counts one segment for an empty text (IRISX
 * counts none), and counts UCS-2 text in grapheme clusters (IRISX counts UTF-16 code units, what the segments hold).
 */
class SegmentsTest {

    private static final String EMOJI = "\uD83D\uDE00"; // 😀, outside the BMP: two code units
    private static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // 👨‍👩‍👧

    static Stream<Arguments> texts() {
        return Stream.of(
                row("an empty text takes no segment", "", GSM_7, 0, 0, 160),
                row("one letter", "a", GSM_7, 1, 1, 160),
                row("160 GSM characters fill one segment", "a".repeat(160), GSM_7, 160, 1, 160),
                row("161 GSM characters take two of 153", "a".repeat(161), GSM_7, 161, 2, 153),
                row("306 GSM characters fill two", "a".repeat(306), GSM_7, 306, 2, 153),
                row("307 GSM characters take three", "a".repeat(307), GSM_7, 307, 3, 153),
                row("158 characters and a € are 160 septets", "a".repeat(158) + "€", GSM_7, 160, 1, 160),
                row("159 characters and a € are 161 septets", "a".repeat(159) + "€", GSM_7, 161, 2, 153),
                row("a € straddling the 153rd septet moves to the second part",
                        "a".repeat(152) + "€" + "a".repeat(152), GSM_7, 306, 3, 153),
                row("a € just after the first part fills the second", "a".repeat(153) + "€" + "a".repeat(151),
                        GSM_7, 306, 2, 153),
                row("80 € are 160 septets", "€".repeat(80), GSM_7, 160, 1, 160),
                row("81 € are 162 septets", "€".repeat(81), GSM_7, 162, 2, 153),
                row("every extension character takes two septets", "^{}\\[~]|€\f", GSM_7, 20, 1, 160),
                row("é is in the GSM alphabet", "Café crème", GSM_7, 10, 1, 160),
                row("ê is not", "Crêpe", UCS_2, 5, 1, 70),
                row("ç is not (only Ç is)", "Garçon", UCS_2, 6, 1, 70),
                row("Greek capitals of the GSM alphabet", "ΔΦΓΛΩΠΨΣΘΞ", GSM_7, 10, 1, 160),
                row("Greek Alpha only looks like a GSM A", "\u0391\u0392", UCS_2, 2, 1, 70),
                row("a curly apostrophe is not GSM", "It’s here", UCS_2, 9, 1, 70),
                row("a backtick is not GSM", "`ls`", UCS_2, 4, 1, 70),
                row("CR and LF are one septet each", "Hi\r\nthere", GSM_7, 9, 1, 160),
                row("70 UCS-2 characters fill one segment", "ê".repeat(70), UCS_2, 70, 1, 70),
                row("71 UCS-2 characters take two of 67", "ê".repeat(71), UCS_2, 71, 2, 67),
                row("134 UCS-2 characters fill two", "ê".repeat(134), UCS_2, 134, 2, 67),
                row("135 UCS-2 characters take three", "ê".repeat(135), UCS_2, 135, 3, 67),
                row("an emoji makes the text UCS-2 and counts two", "Hi " + EMOJI, UCS_2, 5, 1, 70),
                row("35 emoji fill one segment", EMOJI.repeat(35), UCS_2, 70, 1, 70),
                row("36 emoji take two: 33 fit a part", EMOJI.repeat(36), UCS_2, 72, 2, 67),
                row("an emoji straddling the 67th code unit moves whole to the second part",
                        "ê".repeat(66) + EMOJI + "ê".repeat(66), UCS_2, 134, 3, 67),
                row("a family emoji is eight code units", FAMILY, UCS_2, 8, 1, 70),
                row("Chinese text", "你好，世界", UCS_2, 5, 1, 70),
                row("100 Chinese characters take two", "你好世界".repeat(25), UCS_2, 100, 2, 67),
                row("a long GSM message", "Your code is 482913. It expires in 10 minutes. Never share it - ".repeat(3), GSM_7, 192, 2, 153),
                row("a long message with one emoji", "Your order #1234 has shipped! " + EMOJI
                        + " Track it at https://example.com/t/abc123 — thanks for shopping with us.",
                        UCS_2, 104, 2, 67));
    }

    private static Arguments row(String what, String body, Encoding encoding, int characters, int segments,
            int perSegment) {
        return Arguments.of(what, body, new Segments(encoding, characters, segments, perSegment));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void aTextIsCountedInTheSegmentsItIsSentIn(String what, String body, Segments expected) {
        assertThat(Segments.of(body)).isEqualTo(expected);
    }

    @Test
    void negativeCountsAreMisuse() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Segments(GSM_7, -1, 0, 160));
        assertThatIllegalArgumentException().isThrownBy(() -> new Segments(UCS_2, 1, 1, 0));
    }
}
