package io.irisx.webhooks.signing;

import io.irisx.core.IrisxValidationException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An Ed25519 webhook signing key pair: the secret key {@code whsk_} (the base64 of its 32-byte seed) and its
 * {@link WebhookPublicKey} {@code whpk_}; immutable and thread-safe. It signs {@code v1a} signatures.
 *
 * <p>It never prints its secret half: {@link #toString()} shows the public key only; {@link #reveal()} gives the
 * {@code whsk_} text to the code that must store it.
 */
public final class WebhookKeyPair implements WebhookSigningKey {

    /** The text a serialized secret key starts with. */
    public static final String PREFIX = "whsk_";

    private static final int SEED_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] seed;
    private final PrivateKey privateKey;
    private final WebhookPublicKey publicKey;

    private WebhookKeyPair(byte[] seed, PrivateKey privateKey, WebhookPublicKey publicKey) {
        this.seed = seed;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A new key pair from a random seed. */
    public static WebhookKeyPair generate() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return fromSeed(seed);
    }

    /**
     * The key pair of the secret key written as {@code whsk_<base64 of the 32-byte seed>}; the public key is derived.
     *
     * @throws IrisxValidationException (field {@code signingKey}, value redacted) when the text is not that
     */
    public static WebhookKeyPair parse(String text) {
        Objects.requireNonNull(text, "text");
        byte[] seed = KeyText.decode("signingKey", text, PREFIX, false, "an Ed25519 webhook signing key");
        if (seed.length != SEED_BYTES) {
            throw new IrisxValidationException("signingKey", KeyText.redacted(text),
                    "holds " + seed.length + " bytes; an Ed25519 secret key is a " + SEED_BYTES + "-byte seed");
        }
        return fromSeed(seed);
    }

    private static WebhookKeyPair fromSeed(byte[] seed) {
        KeyPair pair;
        try {
            // The JDK derives a public key only while generating a pair, from the 32 bytes its random source gives;
            // a source that gives the seed makes it derive this seed's key.
            KeyPairGenerator generator = KeyPairGenerator.getInstance(Ed25519.ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new SeedSource(seed));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make an Ed25519 key: " + e, e);
        }
        byte[] derivedSeed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
        if (!Arrays.equals(derivedSeed, seed)) {
            throw new IllegalStateException("this JVM's Ed25519 key generator did not use the given seed");
        }
        return new WebhookKeyPair(seed.clone(), pair.getPrivate(),
                WebhookPublicKey.fromRaw(WebhookPublicKey.rawOf(pair.getPublic())));
    }

    /** The public key, to publish to the consumers that verify. */
    public WebhookPublicKey publicKey() {
        return publicKey;
    }

    /** The secret key as {@code whsk_<base64>}; give it only to the code that stores it, never log it. */
    public String reveal() {
        return PREFIX + Base64.getEncoder().encodeToString(seed);
    }

    /** The secret key as the JDK uses it. */
    PrivateKey privateKey() {
        return privateKey;
    }

    /** Whether {@code other} is a key pair of the same seed. */
    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookKeyPair that && publicKey.equals(that.publicKey);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    /** {@code WebhookKeyPair[whsk_****, whpk_…]}: the public key only. */
    @Override
    public String toString() {
        return "WebhookKeyPair[" + PREFIX + "****, " + publicKey.text() + "]";
    }

    /** A random source that gives one seed, once. */
    private static final class SeedSource extends SecureRandom {

        private final byte[] seed;
        private boolean given;

        SeedSource(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (given || bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 key generator asked for more than the "
                        + seed.length + "-byte seed");
            }
            given = true;
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
