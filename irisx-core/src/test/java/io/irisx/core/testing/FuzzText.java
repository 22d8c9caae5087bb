package io.irisx.core.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Text for property-based tests that feed IRISX random input: realistic values mixed with what breaks parsers —
 * empty and blank text, control characters (NUL, CR, LF), non-ASCII letters, emoji and lone surrogates, and very
 * long text (up to 100,000 characters). Stateless.
 *
 * <p>{@link #around(Arbitrary)} keeps the realistic values and mutates them (a character inserted, removed or
 * replaced, the text cut, something nasty appended), so that random input gets past the first checks into the code
 * behind them.
 */
public final class FuzzText {

    /** Text that is known to trip parsers; each is tried often. */
    public static final List<String> EDGE_CASES = List.of("", " ", "   ", "\t", "\n", "\r\n", "\0", "\u0000abc",
            "a\rb", "a\nb", "\u007f", "\u0085", "\u2028", "\u00a0", "\ufeff", "é", "ë", "Ω", "中文", "😀", "\ud83d",
            "\ude00", "a\ud800b", "%", "%zz", "%0", "%00", "&", "=", "&&==&", "+", ".", "..", "-", "_", ":", "::", "@",
            "@@", "/", "//", "\\", "#", "?", "[", "]", "[]", "{{", "}}", "{{}}", "<", ">", "\"", "'", "0", "00", "-1",
            "9999999999999999999999", "NaN", "null", "true", "0x", "0x7f", "1e400");

    private static final String ASCII_PRINTABLE = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
            + "abcdefghijklmnopqrstuvwxyz{|}~";

    private FuzzText() {
    }

    /** Any text: short printable, any character (surrogates and controls included), edge cases, and long text. */
    public static Arbitrary<String> any() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().withChars(ASCII_PRINTABLE).ofMaxLength(40)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(2, Arbitraries.of(EDGE_CASES)),
                Tuple.of(1, Arbitraries.strings().all().ofMinLength(100).ofMaxLength(3000)),
                Tuple.of(1, longText()));
    }

    /** Text of 1,000 to 100,000 characters: one piece repeated, so it stays cheap to make. */
    public static Arbitrary<String> longText() {
        return Combinators.combine(Arbitraries.of("a", "ab", "é", "😀", " ", "\0", "%41", "{{a}}", "x.y", "\ud800",
                        "7"),
                Arbitraries.integers().between(1_000, 100_000))
                .as((piece, length) -> piece.repeat(Math.max(1, length / piece.length())));
    }

    /**
     * {@code realistic} values as they are, mutated, or replaced by {@link #any()}, in about equal parts: the
     * realistic ones reach the code past the first checks, the others test those checks.
     */
    public static Arbitrary<String> around(Arbitrary<String> realistic) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, realistic),
                Tuple.of(4, mutated(realistic)),
                Tuple.of(2, any()));
    }

    /** {@code realistic} values with one change: a character inserted, removed or replaced, cut, or extended. */
    public static Arbitrary<String> mutated(Arbitrary<String> realistic) {
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.of(EDGE_CASES),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(3));
        return Combinators.combine(realistic, Arbitraries.integers().between(0, 5), insert,
                        Arbitraries.doubles().between(0, 1))
                .as((text, kind, piece, where) -> {
                    int at = (int) Math.floor(where * text.length());
                    return switch (kind) {
                        case 0 -> text.substring(0, at) + piece + text.substring(at);
                        case 1 -> text.isEmpty() ? piece : text.substring(0, at) + text.substring(Math.min(text.length(), at + 1));
                        case 2 -> text.isEmpty() ? piece
                                : text.substring(0, at) + piece + text.substring(Math.min(text.length(), at + 1));
                        case 3 -> text.substring(0, at);
                        case 4 -> text + piece;
                        default -> text + "x".repeat(100 + (int) (where * 3000));
                    };
                });
    }

    /**
     * A secret as a host would pass one: distinctive enough (a marker and 16 random letters and digits) that finding
     * it in a message means the message leaks it.
     */
    public static Arbitrary<String> secret() {
        return Arbitraries.strings().alpha().numeric().ofLength(16).map(random -> "S3cr3t" + random);
    }
}
