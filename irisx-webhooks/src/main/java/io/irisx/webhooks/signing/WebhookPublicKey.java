package io.irisx.webhooks.signing;

import io.irisx.core.IrisxValidationException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The public half of an Ed25519 webhook signing key, {@code whpk_} followed by the base64 of its 32 raw bytes;
 * immutable and thread-safe. It is not secret: a producer publishes it so that consumers can verify {@code v1a}
 * signatures.
 */
public final class WebhookPublicKey {

    /** The text a serialized public key starts with. */
    public static final String PREFIX = "whpk_";

    /** The length of a raw Ed25519 public key. */
    static final int BYTES = 32;

    // The DER of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), up to the raw key that ends it.
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final byte[] raw;
    private final PublicKey key;

    private WebhookPublicKey(byte[] raw, PublicKey key) {
        this.raw = raw;
        this.key = key;
    }

    /**
     * The public key written as {@code whpk_<base64 of 32 bytes>}.
     *
     * <p>A weak key is refused: any encoding of one of the eight points of small order (such as the identity,
     * {@code whpk_AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=}), for which a forged signature verifies every message,
     * and any non-canonical encoding (y not below 2^255 - 19, or x = 0 with the sign bit set).
     *
     * @throws IrisxValidationException (field {@code publicKey}) when the text is not that, or the key is weak; the
     *     message shows the key, which is public
     */
    public static WebhookPublicKey parse(String text) {
        Objects.requireNonNull(text, "text");
        byte[] raw = KeyText.decode("publicKey", text, PREFIX, false, "an Ed25519 webhook public key");
        if (raw.length != BYTES) {
            throw new IrisxValidationException("publicKey", KeyText.redacted(text),
                    "holds " + raw.length + " bytes; an Ed25519 public key is " + BYTES + " bytes");
        }
        Optional<String> weakness = Ed25519Points.weakness(raw);
        if (weakness.isPresent()) {
            throw new IrisxValidationException("publicKey", text, weakness.get());
        }
        return fromRaw(raw);
    }

    /** The key of the 32 raw bytes, as the JDK's Ed25519 reads them. */
    static WebhookPublicKey fromRaw(byte[] raw) {
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + BYTES);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, BYTES);
        try {
            return new WebhookPublicKey(raw.clone(),
                    KeyFactory.getInstance(Ed25519.ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot read an Ed25519 public key: " + e, e);
        }
    }

    /** The 32 raw bytes of a JDK Ed25519 public key (the end of its X.509 encoding). */
    static byte[] rawOf(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - BYTES, der.length);
    }

    /** The key as the JDK uses it. */
    PublicKey key() {
        return key;
    }

    /** The key as {@code whpk_<base64>}, the text to publish. */
    public String text() {
        return PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    /** Whether {@code other} is the same public key. */
    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookPublicKey that && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    /** {@code WebhookPublicKey[whpk_…]}, with the whole key: it is public. */
    @Override
    public String toString() {
        return "WebhookPublicKey[" + text() + "]";
    }
}
