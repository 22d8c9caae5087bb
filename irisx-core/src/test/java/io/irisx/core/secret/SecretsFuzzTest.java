package io.irisx.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random text given to {@link SealingKeys#parse} and to {@link SecretSealer#open}: keys are read or refused with an
 * {@link IllegalArgumentException} that shows no key material, and a sealed value opens to exactly what was sealed
 * or is refused with a {@link SecretSealingException} that shows neither the plaintext nor the value whole.
 */
class SecretsFuzzTest {

    private static final SealingKeys KEYS = SealingKeys.builder().key("k1", new byte[32]).key("k2", key(7)).build();
    private static final SecretSealer SEALER = SecretSealer.of(KEYS);

    @Property(tries = 1000)
    void sealing_keys_text_is_read_or_refused_without_showing_a_key(@ForAll("keyTexts") String text) {
        List<String> keyMaterial = text.lines().map(line -> line.substring(line.indexOf('=') + 1).strip())
                .filter(material -> material.length() >= 12).toList();
        DocumentedFailures.only(() -> assertThat(SealingKeys.parse(text).keyIds()).isNotEmpty(),
                List.of(IllegalArgumentException.class), keyMaterial);
    }

    @Property(tries = 1000)
    void a_sealed_value_opens_to_its_plaintext_or_is_refused_without_showing_it(@ForAll("plaintexts") String plaintext,
            @ForAll("sealedEdits") java.util.function.UnaryOperator<String> edit, @ForAll("contexts") String context) {
        String sealed;
        try {
            sealed = SEALER.seal(plaintext, "tenant:acme/secret");
        } catch (IllegalArgumentException e) {
            // Only text UTF-8 cannot carry is refused, and it is not shown.
            assertThat(e.getMessage()).startsWith("plaintext holds a lone UTF-16 surrogate").doesNotContain(plaintext);
            return;
        }
        String opened = edit.apply(sealed);
        // The context is shown in a refusal by design: a plaintext that is part of it cannot be told apart there.
        List<String> secrets = plaintext.length() >= 8 && !context.contains(plaintext) ? List.of(plaintext, sealed)
                : List.of(sealed);
        DocumentedFailures.only(() -> {
            String result = SEALER.open(opened, context);
            assertThat(result).isEqualTo(plaintext);
            assertThat(opened).isEqualTo(sealed);
            assertThat(context).isEqualTo("tenant:acme/secret");
        }, List.of(SecretSealingException.class, IllegalArgumentException.class), secrets);
        DocumentedFailures.only(() -> SEALER.needsResealing(opened), List.of(SecretSealingException.class), secrets);
    }

    @Property(tries = 1000)
    void random_text_is_refused_as_a_sealed_value(@ForAll("sealedTexts") String text) {
        DocumentedFailures.only(() -> SEALER.open(text, "ctx"), List.of(SecretSealingException.class));
    }

    @Property(tries = 500)
    void a_plaintext_secret_given_as_a_sealed_value_is_refused_without_showing_it(@ForAll("secrets") String secret,
            @ForAll("sealedTexts") String around) {
        for (String text : List.of(secret, around + secret, secret + around, "irisx:v1:" + secret,
                "irisx:v1:k1:" + secret, "irisx:" + secret)) {
            DocumentedFailures.only(() -> SEALER.open(text, "ctx"), List.of(SecretSealingException.class),
                    List.of(secret));
        }
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }

    @Provide
    Arbitrary<String> keyTexts() {
        Arbitrary<String> keyId = FuzzText.around(Arbitraries.strings().alpha().numeric().withChars("-_")
                .ofMinLength(1).ofMaxLength(34));
        Arbitrary<String> material = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 48).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                        .flatMap(bytes -> Arbitraries.of(Base64.getEncoder().encodeToString(bytes),
                                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                                Base64.getMimeEncoder().encodeToString(bytes))),
                FuzzText.any());
        Arbitrary<String> line = Arbitraries.oneOf(
                Combinators.combine(keyId, Arbitraries.of("=", " = ", "==", ":"), material).as((id, eq, m) -> id + eq + m),
                Arbitraries.of("", "# comment", "  ", "=abc", "k=", "\ufeffk1=" + Base64.getEncoder().encodeToString(key(1))),
                FuzzText.any());
        return line.list().ofMinSize(0).ofMaxSize(5)
                .flatMap(lines -> Arbitraries.of("\n", "\r\n", "\r", "\u2028").map(nl -> String.join(nl, lines)));
    }

    @Provide
    Arbitrary<String> secrets() {
        return FuzzText.secret();
    }

    @Provide
    Arbitrary<String> plaintexts() {
        return Arbitraries.oneOf(FuzzText.any(), FuzzText.secret());
    }

    @Provide
    Arbitrary<String> contexts() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just("tenant:acme/secret")),
                net.jqwik.api.Tuple.of(1, FuzzText.any()));
    }

    @Provide
    Arbitrary<java.util.function.UnaryOperator<String>> sealedEdits() {
        Arbitrary<java.util.function.UnaryOperator<String>> keep = Arbitraries.just(s -> s);
        Arbitrary<java.util.function.UnaryOperator<String>> flip = Arbitraries.integers().between(0, 10_000)
                .flatMap(at -> Arbitraries.chars().all().map(c -> s -> {
                    int i = at % s.length();
                    return s.substring(0, i) + c + s.substring(i + 1);
                }));
        Arbitrary<java.util.function.UnaryOperator<String>> cut = Arbitraries.integers().between(0, 10_000)
                .map(at -> s -> s.substring(0, at % (s.length() + 1)));
        Arbitrary<java.util.function.UnaryOperator<String>> append = FuzzText.any().map(tail -> s -> s + tail);
        Arbitrary<java.util.function.UnaryOperator<String>> rekey = Arbitraries.of("k2", "k3", "", "K1", "k1:k1",
                "a".repeat(33)).map(id -> s -> s.replaceFirst(":k1:", ":" + id + ":"));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, keep), net.jqwik.api.Tuple.of(3, flip),
                net.jqwik.api.Tuple.of(2, cut), net.jqwik.api.Tuple.of(1, append), net.jqwik.api.Tuple.of(1, rekey));
    }

    @Provide
    Arbitrary<String> sealedTexts() {
        return FuzzText.around(Arbitraries.of("irisx:v1:k1:", "irisx:v2:k1:AAAA", "irisx:", "irisx:v1:",
                "irisx:v1::AAAA", "irisx:v1:k1:" + "A".repeat(40), "irisx:v1:k1:" + "A".repeat(37),
                "irisx:v1:k1:====", "irisx:v1:k1:AA==AA"));
    }
}
