package io.irisx.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.IrisxException;
import io.irisx.core.secret.SecretSealingException.Reason;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SecretSealerTest {

    private static final String CONTEXT = "tenant:acme/webhook-secret";
    private static final String PLAINTEXT = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final SecretSealer sealer = SecretSealer.of(SealingKeys.generate("k1"));

    @Test
    void aSealedValueOpensToThePlaintextForTheSameContext() {
        String sealed = sealer.seal(PLAINTEXT, CONTEXT);

        assertThat(sealer.open(sealed, CONTEXT)).isEqualTo(PLAINTEXT);
    }

    @Test
    void aSealedValueNamesVersionAndKeyIdAndHidesThePlaintext() {
        String sealed = sealer.seal(PLAINTEXT, CONTEXT);

        assertThat(sealed).startsWith("irisx:v1:k1:").doesNotContain(PLAINTEXT);
        byte[] data = Base64.getUrlDecoder().decode(sealed.substring("irisx:v1:k1:".length()));
        assertThat(data).hasSize(12 + PLAINTEXT.length() + 16);
    }

    @Test
    void sealingTheSameSecretTwiceGivesDifferentValuesThatBothOpen() {
        String first = sealer.seal(PLAINTEXT, CONTEXT);
        String second = sealer.seal(PLAINTEXT, CONTEXT);

        assertThat(first).isNotEqualTo(second);
        assertThat(sealer.open(first, CONTEXT)).isEqualTo(PLAINTEXT);
        assertThat(sealer.open(second, CONTEXT)).isEqualTo(PLAINTEXT);
    }

    @Test
    void emptyAndNonAsciiPlaintextsRoundTrip() {
        assertThat(sealer.open(sealer.seal("", CONTEXT), CONTEXT)).isEmpty();
        assertThat(sealer.open(sealer.seal("clé secrète ✓ 🔑", CONTEXT), CONTEXT)).isEqualTo("clé secrète ✓ 🔑");
    }

    @Test
    void aSecretRoundTripsAsASecret() {
        Secret secret = Secret.of(PLAINTEXT);

        assertThat(sealer.openSecret(sealer.seal(secret, CONTEXT), CONTEXT)).isEqualTo(secret);
    }

    @Test
    void oneSealerSealsAndOpensFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String context = "tenant:t" + t + "/secret";
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String plaintext = context + "#" + i;
                        if (!sealer.open(sealer.seal(plaintext, context), context).equals(plaintext)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void changingAnyCharacterOfASealedValueMakesOpenFailWithASealingException() {
        String sealed = sealer.seal(PLAINTEXT, CONTEXT);

        for (int i = 0; i < sealed.length(); i++) {
            char original = sealed.charAt(i);
            for (char replacement : new char[] {'A', 'b', '0', ':', '-'}) {
                if (replacement == original) {
                    continue;
                }
                String tampered = sealed.substring(0, i) + replacement + sealed.substring(i + 1);
                assertThatThrownBy(() -> sealer.open(tampered, CONTEXT))
                        .as("character %d changed from '%s' to '%s'", i, original, replacement)
                        .isInstanceOf(SecretSealingException.class)
                        .hasMessageNotContaining(PLAINTEXT);
            }
        }
    }

    @Test
    void flippingAnyBitOfTheSealedBytesFailsAuthentication() {
        String sealed = sealer.seal(PLAINTEXT, CONTEXT);
        String header = "irisx:v1:k1:";
        byte[] data = Base64.getUrlDecoder().decode(sealed.substring(header.length()));

        for (int i = 0; i < data.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] copy = data.clone();
                copy[i] ^= (byte) (1 << bit);
                String tampered = header + Base64.getUrlEncoder().withoutPadding().encodeToString(copy);
                SecretSealingException e = catchThrowableOfType(SecretSealingException.class,
                        () -> sealer.open(tampered, CONTEXT));
                assertThat(e).as("byte %d bit %d flipped", i, bit).isNotNull();
                assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
            }
        }
    }

    @Test
    void aTruncatedOrExtendedSealedValueDoesNotOpen() {
        String sealed = sealer.seal(PLAINTEXT, CONTEXT);

        for (int length = 0; length < sealed.length(); length++) {
            String truncated = sealed.substring(0, length);
            assertThatThrownBy(() -> sealer.open(truncated, CONTEXT)).isInstanceOf(SecretSealingException.class);
        }
        assertThatThrownBy(() -> sealer.open(sealed + "A", CONTEXT)).isInstanceOf(SecretSealingException.class);
        assertThatThrownBy(() -> sealer.open(sealed + "AAAA", CONTEXT)).isInstanceOf(SecretSealingException.class);
    }

    @Test
    void aValueSealedForOneContextDoesNotOpenForAnother() {
        String sealed = sealer.seal(PLAINTEXT, "tenant:acme/webhook-secret");

        SecretSealingException e = catchThrowableOfType(SecretSealingException.class,
                () -> sealer.open(sealed, "tenant:globex/webhook-secret"));

        assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
        assertThat(e).hasMessageContaining("authentication failed")
                .hasMessageContaining("different context than 'tenant:globex/webhook-secret'")
                .hasMessageNotContaining(PLAINTEXT)
                .hasMessageNotContaining(sealed);
    }

    @Test
    void aValueSealedUnderTheSameKeyIdWithAnotherKeyFailsAuthentication() {
        String sealed = SecretSealer.of(SealingKeys.generate("k1")).seal(PLAINTEXT, CONTEXT);

        assertThatThrownBy(() -> sealer.open(sealed, CONTEXT))
                .isInstanceOfSatisfying(SecretSealingException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED))
                .hasMessageContaining("different key under id 'k1'");
    }

    @Test
    void aValueSealedWithAnUnknownKeyIdFailsNamingThatIdAndTheKnownOnes() {
        String sealed = SecretSealer.of(SealingKeys.generate("retired-2023")).seal(PLAINTEXT, CONTEXT);

        assertThatThrownBy(() -> sealer.open(sealed, CONTEXT))
                .isInstanceOfSatisfying(SecretSealingException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                .hasMessageContaining("key id 'retired-2023'")
                .hasMessageContaining("[k1]")
                .hasMessageNotContaining(sealed);
    }

    @Test
    void aSealingExceptionIsAnIrisxException() {
        assertThatThrownBy(() -> sealer.open("irisx:v1:k1:AAAA", CONTEXT)).isInstanceOf(IrisxException.class);
    }

    @Test
    void textThatIsNotASealedValueIsReportedMalformedWithoutBeingEchoed() {
        String plaintextByMistake = "sk_live_51HxYzAbCdEf";

        assertThatThrownBy(() -> sealer.open(plaintextByMistake, CONTEXT))
                .isInstanceOfSatisfying(SecretSealingException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageContaining("a value of 20 characters")
                .hasMessageContaining("does not start with 'irisx:'")
                .hasMessageNotContaining("sk_live");
    }

    @Test
    void aValueOfAnotherVersionIsReportedMalformed() {
        String sealed = sealer.seal(PLAINTEXT, CONTEXT).replace("irisx:v1:", "irisx:v2:");

        assertThatThrownBy(() -> sealer.open(sealed, CONTEXT))
                .isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("version is not v1");
    }

    @Test
    void aMalformedValueIsShownTruncated() {
        String sealed = sealer.seal(PLAINTEXT, CONTEXT);
        String broken = sealed.substring(0, sealed.length() - 1) + "*";

        assertThatThrownBy(() -> sealer.open(broken, CONTEXT))
                .hasMessageContaining("'irisx:v1:k1:" + sealed.substring(12, 16) + "…' (" + sealed.length()
                        + " characters)")
                .hasMessageContaining("not base64url")
                .hasMessageNotContaining(broken);
    }

    @Test
    void textUtf8CannotCarryIsRefusedRatherThanSealedAsOtherText() {
        // Sealed as "?", "\ud800" would open as "?"; and "\ud800" and "\ud801" would be one context.
        assertThatThrownBy(() -> sealer.seal("pa\ud800ss", CONTEXT))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("plaintext holds a lone UTF-16 surrogate at index 2, which UTF-8 cannot carry; give"
                        + " well-formed Unicode text");
        assertThatThrownBy(() -> sealer.seal(PLAINTEXT, "tenant:\ud800"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context holds a lone UTF-16 surrogate at index 7");
        assertThatThrownBy(() -> sealer.open(sealer.seal(PLAINTEXT, "tenant:?"), "tenant:\udc00"))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(sealer.open(sealer.seal("key \ud83d\ude00", "tenant:\ud83d\ude00"), "tenant:\ud83d\ude00"))
                .isEqualTo("key \ud83d\ude00");
    }

    @Test
    void anEmptyContextIsRefused() {
        assertThatThrownBy(() -> sealer.seal(PLAINTEXT, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("context must name what the secret belongs to");
    }

    @Test
    void afterRotationOldValuesStillOpenAndNewValuesUseTheNewPrimary() {
        SealingKeys oldKeys = SealingKeys.generate("old");
        String sealedBefore = SecretSealer.of(oldKeys).seal(PLAINTEXT, CONTEXT);
        SealingKeys rotated = SealingKeys.builder()
                .key("new", SealingKeys.generate("new").key("new").getEncoded())
                .key("old", oldKeys.key("old").getEncoded())
                .build();
        SecretSealer sealerAfter = SecretSealer.of(rotated);

        String sealedAfter = sealerAfter.seal(PLAINTEXT, CONTEXT);

        assertThat(rotated.primaryKeyId()).isEqualTo("new");
        assertThat(sealerAfter.open(sealedBefore, CONTEXT)).isEqualTo(PLAINTEXT);
        assertThat(sealedAfter).startsWith("irisx:v1:new:");
        assertThat(sealerAfter.open(sealedAfter, CONTEXT)).isEqualTo(PLAINTEXT);
        assertThat(sealerAfter.needsResealing(sealedBefore)).isTrue();
        assertThat(sealerAfter.needsResealing(sealedAfter)).isFalse();
        assertThat(sealerAfter.needsResealing(sealerAfter.seal(sealerAfter.open(sealedBefore, CONTEXT), CONTEXT)))
                .isFalse();
    }

    @Test
    void needsResealingRefusesAMalformedValue() {
        assertThatThrownBy(() -> sealer.needsResealing("irisx:v1:no-data"))
                .isInstanceOfSatisfying(SecretSealingException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }
}
