package io.irisx.webhooks.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Webhook keys")
class WebhookKeysTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SEED = "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
    private static final String PUBLIC = "whpk_ZlN4eg7dSSqi0moX9hQUk3orrOouK3QVQSlJa248c/g=";

    @Test
    @DisplayName("a generated secret is whsec_ and the base64 of 32 random bytes, and reads back as itself")
    void generatedSecret() {
        WebhookSecret secret = WebhookSecret.generate();

        assertThat(secret.reveal()).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.reveal().substring(6))).hasSize(32);
        assertThat(WebhookSecret.parse(secret.reveal())).isEqualTo(secret);
        assertThat(WebhookSecret.generate()).isNotEqualTo(secret);
    }

    @Test
    @DisplayName("a secret reads with or without its prefix and with or without base64 padding, as the reference "
            + "libraries read it")
    void secretForms() {
        WebhookSecret secret = WebhookSecret.parse(SECRET);
        byte[] fiveBytes = {1, 2, 3, 4, 5};
        String padded = Base64.getEncoder().encodeToString(fiveBytes);

        assertThat(WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isEqualTo(secret);
        assertThat(WebhookSecret.parse("whsec_" + padded))
                .isEqualTo(WebhookSecret.parse("whsec_" + padded.replace("=", "")));
        assertThat(WebhookSecret.parse("whsec_" + padded).reveal()).isEqualTo("whsec_" + padded);
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"whsec_", "", "whsec_not base64!", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw-_",
        "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=", "whpk_ZlN4eg7dSSqi0moX9hQUk3orrOouK3QVQSlJa248c/g="})
    @DisplayName("text that is not a secret is refused with the field named and the value redacted")
    void badSecrets(String text) {
        assertThatThrownBy(() -> WebhookSecret.parse(text))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageStartingWith("secret: '")
                .satisfies(e -> assertThat(((IrisxValidationException) e).field()).isEqualTo("secret"))
                .satisfies(e -> {
                    String secretPart = text.replaceFirst("^wh(sec|sk|pk)_", "");
                    if (!secretPart.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(secretPart);
                    }
                });
    }

    @Test
    @DisplayName("no secret or signing key prints its content, even inside other objects")
    void redaction() {
        WebhookSecret secret = WebhookSecret.parse(SECRET);
        WebhookKeyPair pair = WebhookKeyPair.parse(SEED);

        assertThat(secret).hasToString("WebhookSecret[whsec_****]");
        assertThat(List.of(secret, pair).toString()).doesNotContain("MfKQ9r8", "VEVTVFNJR05J");
        assertThat(pair).hasToString("WebhookKeyPair[whsk_****, " + PUBLIC + "]");
        assertThat(WebhookSigner.of(secret, pair)).hasToString("WebhookSigner[2 keys]");
    }

    @Test
    @DisplayName("an Ed25519 key pair derives its public key from its seed and reads back as itself")
    void keyPairs() {
        WebhookKeyPair pair = WebhookKeyPair.parse(SEED);
        WebhookKeyPair generated = WebhookKeyPair.generate();

        assertThat(pair.publicKey()).isEqualTo(WebhookPublicKey.parse(PUBLIC));
        assertThat(pair.reveal()).isEqualTo(SEED);
        assertThat(generated.reveal()).startsWith("whsk_").hasSize(5 + 44);
        assertThat(WebhookKeyPair.parse(generated.reveal())).isEqualTo(generated);
        assertThat(generated.publicKey().text()).startsWith("whpk_").hasSize(5 + 44);
        assertThat(generated).isNotEqualTo(pair);
    }

    @Test
    @DisplayName("Ed25519 keys must carry their prefix and be 32 bytes")
    void badEd25519Keys() {
        assertThatThrownBy(() -> WebhookKeyPair.parse(SEED.substring(5)))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("signingKey: '**** (44 characters)' is not an Ed25519 webhook signing key");
        assertThatThrownBy(() -> WebhookKeyPair.parse(SECRET))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("signingKey: 'whsec_**** (38 characters)'");
        assertThatThrownBy(() -> WebhookKeyPair.parse("whsk_AQID"))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("holds 3 bytes; an Ed25519 secret key is a 32-byte seed");
        assertThatThrownBy(() -> WebhookPublicKey.parse("whpk_AQID"))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("publicKey: 'whpk_**** (9 characters)' holds 3 bytes");
    }
}
