package io.irisx.messaging.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.secret.SealingKeys;
import io.irisx.core.secret.SecretSealer;
import io.irisx.core.secret.SecretSealingException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * {@link DkimKey}: the key forms it reads (PKCS#8 and PKCS#1 PEM, PKCS#8 DER, a JDK key, a value sealed with
 * IRISX's {@link SecretSealer}), the keys it refuses, and that it never shows a key. The RSA and Ed25519 keys are
 * RFC 8463 Appendix A.1's (https://www.rfc-editor.org/rfc/rfc8463#appendix-A.1), the RSA one in the PKCS#1 PEM the
 * RFC publishes.
 */
class DkimKeyTest {

    /** RFC 8463 A.1's RSA key, as published (PKCS#1). */
    static final String RFC_RSA_PKCS1 = """
            -----BEGIN RSA PRIVATE KEY-----
            MIICXQIBAAKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi
            Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqM
            KrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB
            AoGAH0cxOhFZDgzXWhDhnAJDw5s4roOXN4OhjiXa8W7Y3rhX3FJqmJSPuC8N9vQm
            6SVbaLAE4SG5mLMueHlh4KXffEpuLEiNp9Ss3O4YfLiQpbRqE7Tm5SxKjvvQoZZe
            zHorimOaChRL2it47iuWxzxSiRMv4c+j70GiWdxXnxe4UoECQQDzJB/0U58W7RZy
            6enGVj2kWF732CoWFZWzi1FicudrBFoy63QwcowpoCazKtvZGMNlPWnC7x/6o8Gc
            uSe0ga2xAkEA8C7PipPm1/1fTRQvj1o/dDmZp243044ZNyxjg+/OPN0oWCbXIGxy
            WvmZbXriOWoSALJTjExEgraHEgnXssuk7QJBALl5ICsYMu6hMxO73gnfNayNgPxd
            WFV6Z7ULnKyV7HSVYF0hgYOHjeYe9gaMtiJYoo0zGN+L3AAtNP9huqkWlzECQE1a
            licIeVlo1e+qJ6Mgqr0Q7Aa7falZ448ccbSFYEPD6oFxiOl9Y9se9iYHZKKfIcst
            o7DUw1/hz2Ck4N5JrgUCQQCyKveNvjzkkd8HjYs0SwM0fPjK16//5qDZ2UiDGnOe
            uEzxBDAr518Z8VFbR41in3W4Y3yCDgQlLlcETrS+zYcL
            -----END RSA PRIVATE KEY-----
            """;
    /** RFC 8463 A.2's public key for it ({@code test._domainkey.football.example.com}). */
    static final String RFC_RSA_PUBLIC = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi"
            + "Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G"
            + "+2kryOTIKT+l/K4w3QIDAQAB";
    /** RFC 8463 A.1's Ed25519 seed behind the PKCS#8 prefix, as {@code openssl genpkey -algorithm ed25519} writes it. */
    static final String RFC_ED25519_PKCS8 = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
            -----END PRIVATE KEY-----
            """;

    @Test
    void a_pkcs1_rsa_pem_reads_as_the_key_whose_public_half_the_rfc_publishes() throws Exception {
        DkimKey key = DkimKey.fromPem(RFC_RSA_PKCS1);
        assertThat(key.algorithm()).isEqualTo("rsa-sha256");
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key.privateKey();
        byte[] spki = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())).getEncoded();
        assertThat(Base64.getEncoder().encodeToString(spki)).isEqualTo(RFC_RSA_PUBLIC);
    }

    @Test
    void a_pkcs8_pem_and_pkcs8_der_read_as_the_same_key() throws Exception {
        PrivateKey rsa = DkimKey.fromPem(RFC_RSA_PKCS1).privateKey();
        String pkcs8 = pem("PRIVATE KEY", rsa.getEncoded());
        assertThat(DkimKey.fromPem(pkcs8).privateKey().getEncoded()).isEqualTo(rsa.getEncoded());
        assertThat(DkimKey.fromPkcs8(rsa.getEncoded()).privateKey().getEncoded()).isEqualTo(rsa.getEncoded());
        assertThat(DkimKey.fromPem("the key:\n" + pkcs8 + "\n(kept in the vault)").algorithm()).isEqualTo("rsa-sha256");
    }

    @Test
    void an_ed25519_pkcs8_pem_signs_ed25519_sha256() {
        DkimKey key = DkimKey.fromPem(RFC_ED25519_PKCS8);
        assertThat(key.algorithm()).isEqualTo("ed25519-sha256");
        // The seed after the prefix is RFC 8463's.
        assertThat(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(key.privateKey().getEncoded(), 16, 48)))
                .isEqualTo("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=");
    }

    @Test
    void a_jdk_key_is_taken_as_it_is() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(DkimKey.of(pair.getPrivate()).privateKey()).isSameAs(pair.getPrivate());
    }

    @Test
    void a_key_sealed_with_the_runtimes_sealer_opens_only_for_its_context() {
        SecretSealer sealer = SecretSealer.of(SealingKeys.generate("k1"));
        String pem = RFC_ED25519_PKCS8;
        // What a host keeps in its configuration, and gives the provider:
        String sealed = sealer.seal(pem, "dkim:acme.example/mail2026");
        DkimKey key = DkimKey.fromSealed(sealed, "dkim:acme.example/mail2026", sealer);

        assertThat(sealed).startsWith("irisx:v1:k1:").doesNotContain("MC4CAQAw");
        assertThat(key.privateKey().getEncoded()).isEqualTo(DkimKey.fromPem(pem).privateKey().getEncoded());
        assertThatThrownBy(() -> DkimKey.fromSealed(sealed, "dkim:other.example/mail2026", sealer))
                .isInstanceOf(SecretSealingException.class);
        assertThatThrownBy(() -> DkimKey.fromSealed(sealed, "dkim:acme.example/mail2026",
                SecretSealer.of(SealingKeys.generate("k1")))).isInstanceOf(SecretSealingException.class);
    }

    @Test
    void it_never_shows_the_key() {
        assertThat(DkimKey.fromPem(RFC_RSA_PKCS1)).hasToString("DkimKey[rsa-sha256 1024 bits]");
        assertThat(DkimKey.fromPem(RFC_ED25519_PKCS8)).hasToString("DkimKey[ed25519-sha256]");
    }

    @Test
    void text_that_is_not_a_pem_private_key_is_refused_without_being_shown() {
        String secretish = "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v";
        assertThatThrownBy(() -> DkimKey.fromPem(secretish))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PEM private key")
                .hasMessageNotContaining(secretish);
        assertThatThrownBy(() -> DkimKey.fromPem("-----BEGIN PRIVATE KEY-----\n" + secretish + "!!\n-----END PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64")
                .hasMessageNotContaining(secretish);
        assertThatThrownBy(() -> DkimKey.fromPem(pem("PRIVATE KEY", new byte[] {1, 2, 3, 4})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an RSA or Ed25519 private key");
    }

    @Test
    void encrypted_and_public_keys_are_refused_saying_what_to_give() throws Exception {
        assertThatThrownBy(() -> DkimKey.fromPem(pem("ENCRYPTED PRIVATE KEY", new byte[] {48, 3, 2, 1, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encrypted")
                .hasMessageContaining("DkimKey.fromSealed");
        assertThatThrownBy(() -> DkimKey.fromPem("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\nAAAA\n-----END RSA PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encrypted");
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> DkimKey.fromPem(pem("PUBLIC KEY", pair.getPublic().getEncoded())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public key");
        assertThatThrownBy(() -> DkimKey.fromPem(pem("EC PRIVATE KEY", new byte[] {48, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'EC PRIVATE KEY'");
    }

    @Test
    void keys_dkim_cannot_sign_with_are_refused() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        assertThatThrownBy(() -> DkimKey.fromPem(pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RSA or Ed25519");
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(768);
        assertThatThrownBy(() -> DkimKey.of(small.generateKeyPair().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("768 bits");
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
