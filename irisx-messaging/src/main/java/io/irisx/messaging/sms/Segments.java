package io.irisx.messaging.sms;

import java.util.BitSet;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * How an SMS text is encoded and how many segments (billed message parts) it takes; immutable and thread-safe.
 *
 * <p>A text is sent in GSM-7 when every character is in the GSM 03.38 default alphabet (3GPP TS 23.038) or its
 * extension table; the extension characters {@code ^ { } \ [ ~ ] | €} and form feed take two septets (an escape and
 * the character). Any other character — {@code ê}, {@code ç}, a curly quote, Greek {@code Α} that only looks like
 * Latin {@code A}, any emoji — sends the whole text in UCS-2, counted in UTF-16 code units (an emoji outside the Basic
 * Multilingual Plane takes two). National language shift tables and "smart" replacement of look-alike characters are
 * not applied.
 *
 * <p>One SMS carries 140 octets: 160 septets or 70 code units. A longer text is concatenated, and each part gives 6
 * octets to its user data header, leaving 153 septets or 67 code units. A character is never split across parts: a
 * two-septet extension character, or a surrogate pair, that would straddle a boundary moves whole to the next part,
 * which 3GPP TS 23.038 requires of escape sequences and which Twilio's segment calculator also does; so 152 plain
 * characters, a {@code €} and 152 more take three segments, not two. (Twilio's calculator keeps a whole grapheme
 * cluster together; IRISX keeps a code point together, which differs only when a multi-code-point emoji straddles a
 * boundary.)
 *
 * <p>An empty text takes no segment: an MMS may carry media alone, and no provider sends an empty SMS.
 *
 * @param encoding the encoding the text is sent in
 * @param characters the length of the text in its encoding: septets for GSM-7 (an extension character counts two),
 *     UTF-16 code units for UCS-2 (an emoji outside the Basic Multilingual Plane counts two)
 * @param segments how many SMS the text takes, 0 for an empty text
 * @param charactersPerSegment the capacity of each segment in {@code characters}: 160 or 70 for a text in at most one
 *     segment, 153 or 67 for a concatenated one
 */
public record Segments(Encoding encoding, int characters, int segments, int charactersPerSegment) {

    private static final int GSM_SINGLE = 160;
    private static final int GSM_CONCATENATED = 153;
    private static final int UCS_SINGLE = 70;
    private static final int UCS_CONCATENATED = 67;

    /** The GSM 03.38 default alphabet in its code order, 0x00 to 0x7F, without the escape 0x1B. */
    private static final BitSet GSM_BASIC = charSet("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ" + "ÆæßÉ"
            + " !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmnopqrstuvwxyzäöñüà");
    /** The GSM 03.38 extension table: each character is sent as the escape 0x1B and a second septet. */
    private static final BitSet GSM_EXTENSION = charSet("\f^{}\\[~]|€");

    /** The encodings of an SMS text. */
    public enum Encoding {
        /** The GSM 03.38 7-bit default alphabet and its extension table. */
        GSM_7,
        /** UCS-2, 16 bits a code unit; a character beyond the Basic Multilingual Plane goes as a UTF-16 surrogate pair. */
        UCS_2
    }

    /** Checks that the counts are not negative. */
    public Segments {
        Objects.requireNonNull(encoding, "encoding");
        if (characters < 0 || segments < 0 || charactersPerSegment <= 0) {
            throw new IllegalArgumentException("characters (" + characters + ") and segments (" + segments
                    + ") must not be negative, charactersPerSegment (" + charactersPerSegment + ") must be positive");
        }
    }

    /**
     * Counts the segments of {@code body}.
     *
     * @param body the text of the SMS, possibly empty
     */
    public static Segments of(String body) {
        Objects.requireNonNull(body, "body");
        boolean gsm = body.chars().allMatch(c -> GSM_BASIC.get(c) || GSM_EXTENSION.get(c));
        if (gsm) {
            int[] widths = body.chars().map(c -> GSM_EXTENSION.get(c) ? 2 : 1).toArray();
            return count(Encoding.GSM_7, widths, GSM_SINGLE, GSM_CONCATENATED);
        }
        // A lone surrogate is one code unit, as Character.charCount says.
        int[] widths = body.codePoints().map(Character::charCount).toArray();
        return count(Encoding.UCS_2, widths, UCS_SINGLE, UCS_CONCATENATED);
    }

    /**
     * Packs characters of the given widths into segments.
     *
     * @param widths the width of each character, in septets or code units
     */
    private static Segments count(Encoding encoding, int[] widths, int single, int concatenated) {
        int total = IntStream.of(widths).sum();
        if (total == 0) {
            return new Segments(encoding, 0, 0, single);
        }
        if (total <= single) {
            return new Segments(encoding, total, 1, single);
        }
        int segments = 1;
        int used = 0;
        for (int width : widths) {
            if (used + width > concatenated) {
                segments++;
                used = 0;
            }
            used += width;
        }
        return new Segments(encoding, total, segments, concatenated);
    }

    private static BitSet charSet(String chars) {
        BitSet set = new BitSet();
        chars.chars().forEach(set::set);
        return set;
    }
}
