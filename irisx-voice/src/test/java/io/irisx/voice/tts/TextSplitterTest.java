package io.irisx.voice.tts;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.voice.tts.internal.TextSplitter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text cut to a provider's limit: at sentences, then words, and inside a word only when it exceeds the limit. */
class TextSplitterTest {

    @Test
    void textWithinTheLimitIsOnePart() {
        assertThat(TextSplitter.split("  Hello there.  ", 20)).containsExactly("Hello there.");
    }

    @Test
    void wholeSentencesArePackedIntoEachPart() {
        String text = "One two three. Four five six. Seven eight nine! Ten?";

        List<String> parts = TextSplitter.split(text, 30);

        assertThat(parts).containsExactly("One two three. Four five six.", "Seven eight nine! Ten?");
        assertThat(String.join(" ", parts)).isEqualTo(text);
    }

    @Test
    void aSentenceOverTheLimitIsCutBetweenWords() {
        String text = "Short one. This sentence is rather longer than the limit allows. End.";

        List<String> parts = TextSplitter.split(text, 25);

        assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(25));
        assertThat(String.join(" ", parts)).isEqualTo(text);
        // No word is cut: every part starts and ends on a whole word of the text.
        List<String> words = List.of(text.split(" "));
        assertThat(parts).allSatisfy(part -> assertThat(words).containsAll(List.of(part.split(" "))));
    }

    @Test
    void onlyAWordOverTheLimitIsCutInside() {
        String url = "https://example.com/" + "a".repeat(40);
        String text = "Visit " + url + " today.";

        List<String> parts = TextSplitter.split(text, 20);

        assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(20));
        assertThat(String.join("", parts).replace(" ", "")).isEqualTo(text.replace(" ", ""));
        assertThat(parts.get(0)).isEqualTo("Visit");
        assertThat(parts.get(parts.size() - 1)).endsWith("today.");
    }

    @Test
    void aSurrogatePairIsNeverCut() {
        String word = "\uD83D\uDE00".repeat(10); // 20 chars, 10 code points

        List<String> parts = TextSplitter.split(word, 5);

        assertThat(parts).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(5);
            assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).isFalse();
        });
        assertThat(String.join("", parts)).isEqualTo(word);
    }
}
