package io.irisx.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Dkimpy}: the key records it writes are those of RFC 6376 §3.6.1 (https://www.rfc-editor.org/rfc/rfc6376#section-3.6.1)
 * and RFC 8463 §4 (https://www.rfc-editor.org/rfc/rfc8463#section-4), and dkimpy's answer comes back as a verdict.
 * Signatures that verify are in irisx-messaging's DKIM tests, which run it on RFC 8463's signed message.
 */
class DkimpyTest {

    @Test
    void an_rsa_record_carries_the_subject_public_key_info() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        assertThat(Dkimpy.keyRecord(pair.getPublic()))
                .isEqualTo("v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    }

    @Test
    void an_ed25519_record_carries_the_32_byte_key() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String record = Dkimpy.keyRecord(pair.getPublic());
        byte[] key = Base64.getDecoder().decode(record.substring("v=DKIM1; k=ed25519; p=".length()));
        byte[] spki = pair.getPublic().getEncoded();
        assertThat(record).startsWith("v=DKIM1; k=ed25519; p=");
        assertThat(key).hasSize(32).isEqualTo(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    @Test
    void other_keys_have_no_record() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> Dkimpy.keyRecord(pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_record_name_is_under_domainkey() {
        assertThat(Dkimpy.recordName("mail2026", "acme.example")).isEqualTo("mail2026._domainkey.acme.example");
    }

    @Test
    void an_unsigned_message_fails_with_dkimpys_reason() {
        assumeTrue(Dkimpy.isInstalled(), "dkimpy (python3-dkim) is not installed; scripts/test installs it");
        Dkimpy.Verdict verdict = Dkimpy.verify(
                "From: a@acme.example\r\nSubject: s\r\n\r\nHi\r\n".getBytes(StandardCharsets.US_ASCII), Map.of());
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.output()).contains("fail");
    }
}
