package io.irisx.voice.tts.internal;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text cut into parts of at most a provider's limit: at sentence boundaries, packing as many whole sentences into a
 * part as fit; a sentence longer than the limit at word boundaries (whitespace); a word longer than the limit (a long URL, a
 * number) at the limit, never inside a surrogate pair. Stateless and thread-safe. Not API.
 */
public final class TextSplitter {

    /** Between a whitespace and the next word: each word keeps the whitespace after it. */
    private static final Pattern WORDS = Pattern.compile("(?<=\\s)(?=\\S)");

    private TextSplitter() {
    }

    /**
     * The parts of {@code text}, each 1 to {@code limit} characters and none blank, which concatenated with the
     * whitespace between them give the text back.
     */
    public static List<String> split(String text, int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("limit must be 2 or more, was " + limit);
        }
        List<String> parts = new ArrayList<>();
        if (text.strip().length() <= limit) {
            parts.add(text.strip());
            return parts;
        }
        StringBuilder part = new StringBuilder();
        for (String sentence : pieces(text, BreakIterator.getSentenceInstance(Locale.ROOT))) {
            if (sentence.strip().length() > limit) {
                for (String word : WORDS.split(sentence)) {
                    if (word.strip().length() > limit) {
                        flush(parts, part);
                        for (String piece : hardCut(word.strip(), limit)) {
                            append(parts, part, piece, limit);
                        }
                    } else {
                        append(parts, part, word, limit);
                    }
                }
            } else {
                append(parts, part, sentence, limit);
            }
        }
        flush(parts, part);
        return parts;
    }

    /** Adds {@code piece} to {@code part}, flushing the part first when the piece would not fit. */
    private static void append(List<String> parts, StringBuilder part, String piece, int limit) {
        if (part.length() > 0 && (part + piece).strip().length() > limit) {
            flush(parts, part);
        }
        if (part.length() == 0) {
            part.append(piece.stripLeading());
        } else {
            part.append(piece);
        }
    }

    private static void flush(List<String> parts, StringBuilder part) {
        String text = part.toString().strip();
        if (!text.isEmpty()) {
            parts.add(text);
        }
        part.setLength(0);
    }

    private static List<String> pieces(String text, BreakIterator boundaries) {
        boundaries.setText(text);
        List<String> pieces = new ArrayList<>();
        int start = boundaries.first();
        for (int end = boundaries.next(); end != BreakIterator.DONE; start = end, end = boundaries.next()) {
            pieces.add(text.substring(start, end));
        }
        return pieces;
    }

    private static List<String> hardCut(String word, int limit) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = Math.min(word.length(), start + limit);
            if (end < word.length() && Character.isHighSurrogate(word.charAt(end - 1))) {
                end--;
            }
            pieces.add(word.substring(start, end));
            start = end;
        }
        return pieces;
    }
}
