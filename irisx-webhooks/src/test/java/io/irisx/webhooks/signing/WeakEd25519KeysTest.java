package io.irisx.webhooks.signing;

import static io.irisx.webhooks.signing.WebhookSignerTest.verifierAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.irisx.core.IrisxValidationException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ed25519 public keys and signatures that prove nothing, refused. */
@DisplayName("Weak Ed25519 keys and signatures")
class WeakEd25519KeysTest {

    private static final long NOW = 1_700_000_000L;
    private static final byte[] BODY = "{\"type\":\"message.sent\"}".getBytes(StandardCharsets.UTF_8);
    private static final String IDENTITY = "whpk_AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final String FF = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    /** Every encoding of the eight points of small order: their canonical ones, then the non-canonical ones. */
    static Stream<Arguments> smallOrder() {
        return Stream.of(
                arguments("0100000000000000000000000000000000000000000000000000000000000000", "the identity (order 1)"),
                arguments("ec" + FF + "ff7f", "(0, -1), order 2"),
                arguments("0000000000000000000000000000000000000000000000000000000000000000", "y = 0, x even (order 4)"),
                arguments("0000000000000000000000000000000000000000000000000000000000000080", "y = 0, x odd (order 4)"),
                arguments("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "order 8, x even"),
                arguments("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", "order 8, x odd"),
                arguments("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "order 8, x even"),
                arguments("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "order 8, x odd"),
                arguments("0100000000000000000000000000000000000000000000000000000000000080",
                        "the identity with the sign bit set (non-canonical)"),
                arguments("ec" + FF + "ffff", "(0, -1) with the sign bit set (non-canonical)"),
                arguments("ed" + FF + "ff7f", "y = p, meaning 0 (non-canonical)"),
                arguments("ed" + FF + "ffff", "y = p, meaning 0, sign bit set (non-canonical)"),
                arguments("ee" + FF + "ff7f", "y = p + 1, the identity (non-canonical)"),
                arguments("ee" + FF + "ffff", "y = p + 1, the identity, sign bit set (non-canonical)"));
    }

    @ParameterizedTest(name = "refuses {0}: {1}")
    @MethodSource("smallOrder")
    @DisplayName("refuses every encoding of a small-order point, naming the field and saying the key is weak")
    void refusesSmallOrderPoints(String hex, String what) {
        String text = WebhookPublicKey.PREFIX + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        assertThatThrownBy(() -> WebhookPublicKey.parse(text))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("publicKey");
                    assertThat(e.rejectedValue()).isEqualTo(text);
                })
                .hasMessageStartingWith("publicKey: '" + text + "' is a weak Ed25519 public key");
        assertThatThrownBy(() -> WebhookVerifier.builder().publicKey(text))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("weak Ed25519 public key");
    }

    @Test
    @DisplayName("refuses the identity key, under which the JDK alone verifies one forged signature for every message")
    void refusesTheIdentity() {
        byte[] identity = Base64.getDecoder().decode(IDENTITY.substring(WebhookPublicKey.PREFIX.length()));
        byte[] forged = new byte[64];
        forged[0] = 1; // R = the identity, S = 0
        assertThat(Ed25519.verify(WebhookPublicKey.fromRaw(identity).key(), "any".getBytes(), BODY, forged)).isTrue();

        assertThatThrownBy(() -> WebhookPublicKey.parse(IDENTITY))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessage("publicKey: '" + IDENTITY + "' is a weak Ed25519 public key: a point of small order, "
                        + "for which one forged signature verifies every message; generate a new key pair");
    }

    @Test
    @DisplayName("refuses a non-canonical y of 2^255 - 1, and 32 bytes that are no curve point")
    void refusesNonCanonicalAndOffCurveEncodings() {
        String largeY = WebhookPublicKey.PREFIX + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(FF + "ffff7f"));
        assertThatThrownBy(() -> WebhookPublicKey.parse(largeY))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("is a weak Ed25519 public key: a non-canonical encoding, its y coordinate is not "
                        + "below 2^255 - 19");

        String offCurve = WebhookPublicKey.PREFIX + Base64.getEncoder().encodeToString(offCurvePoint());
        assertThatThrownBy(() -> WebhookPublicKey.parse(offCurve))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("encode no point of the curve");
    }

    @Test
    @DisplayName("accepts generated keys and the reference key pair's public key")
    void acceptsOrdinaryKeys() {
        for (int i = 0; i < 200; i++) {
            WebhookPublicKey key = WebhookKeyPair.generate().publicKey();
            assertThat(WebhookPublicKey.parse(key.text())).isEqualTo(key);
        }
        // The base point itself: y = 4/5, x even.
        assertThatCode(() -> WebhookPublicKey.parse("whpk_WGZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY="))
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("refuses a v1a signature whose S is not below the group order, though S - L would verify")
    void refusesNonCanonicalS() {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        WebhookHeaders signed = WebhookSigner.of(pair).sign("evt_1", NOW, BODY);
        WebhookVerifier verifier = verifierAt(NOW).publicKey(pair.publicKey()).build();
        assertThatCode(() -> verifier.verify(signed.asMap(), BODY)).doesNotThrowAnyException();

        byte[] signature = Base64.getDecoder().decode(signed.signature().substring("v1a,".length()));
        byte[] malleated = signature.clone();
        System.arraycopy(littleEndian(littleEndian(signature, 32).add(Ed25519Points.ORDER)), 0, malleated, 32, 32);
        String header = "v1a," + Base64.getEncoder().encodeToString(malleated);

        assertThat(Ed25519Points.isCanonicalScalar(malleated, 32)).isFalse();
        assertThatThrownBy(() -> verifier.verify(signed.id(), Long.toString(NOW), header, BODY))
                .isInstanceOfSatisfying(WebhookVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(WebhookVerificationReason.NO_MATCHING_SIGNATURE));
    }

    /** The first y (from 2) with no x on the curve, encoded. */
    private static byte[] offCurvePoint() {
        BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        BigInteger d = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
        for (int y = 2; ; y++) {
            BigInteger y2 = BigInteger.valueOf((long) y * y);
            BigInteger x2 = y2.subtract(BigInteger.ONE).multiply(d.multiply(y2).add(BigInteger.ONE).modInverse(p)).mod(p);
            // Euler's criterion: x2 has no square root when x2^((p-1)/2) is -1.
            if (x2.modPow(p.subtract(BigInteger.ONE).shiftRight(1), p).equals(p.subtract(BigInteger.ONE))) {
                return littleEndian(BigInteger.valueOf(y));
            }
        }
    }

    private static BigInteger littleEndian(byte[] bytes, int from) {
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = bytes[from + 31 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    private static byte[] littleEndian(BigInteger value) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            bytes[i] = value.shiftRight(8 * i).byteValue();
        }
        return bytes;
    }
}
