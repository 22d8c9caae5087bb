package io.irisx.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void revealGivesThePlaintext() {
        assertThat(Secret.of("sk_live_123").reveal()).isEqualTo("sk_live_123");
    }

    @Test
    void toStringNeverShowsThePlaintextEvenInsideOtherObjects() {
        Secret secret = Secret.of("sk_live_123");

        assertThat(secret).hasToString("Secret[****]");
        assertThat(List.of(secret).toString()).doesNotContain("sk_live").contains("Secret[****]");
    }

    @Test
    void secretsWithTheSameContentAreEqualAndOthersAreNot() {
        assertThat(Secret.of("abc")).isEqualTo(Secret.of("abc")).hasSameHashCodeAs(Secret.of("abc"));
        assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abd"));
        assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abcd"));
        assertThat(Secret.of("abc")).isNotEqualTo("abc");
    }

    @Test
    void anEmptySecretIsRefused() {
        assertThatThrownBy(() -> Secret.of(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret value must not be empty");
    }
}
