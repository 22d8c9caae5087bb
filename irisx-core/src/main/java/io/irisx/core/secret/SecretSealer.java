package io.irisx.core.secret;

import io.irisx.core.secret.SecretSealingException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage and opens them again, with AES-256-GCM under {@link SealingKeys}; immutable and
 * thread-safe, meant to be built once and shared.
 *
 * <p>A sealed value is text: {@code irisx:v1:<keyId>:<data>}, where the data is the base64url (unpadded) of a random
 * 12-byte nonce followed by the ciphertext and its 16-byte tag. The authenticated data binds the version, the key id
 * and the caller's <em>context</em>, a name for what the secret belongs to (e.g. {@code "tenant:acme/webhook-secret"}):
 * a value copied to another tenant's row, or to another field, fails to open there. Any change to a sealed value makes
 * {@link #open(String, String)} fail with a {@link SecretSealingException}; it never returns a wrong plaintext.
 *
 * <p>Values are sealed with the primary key and opened with whichever key they name, so after a key rotation the old
 * values still open; {@link #needsResealing(String)} finds them, to be sealed again with the new key.
 */
public final class SecretSealer {

    /** The text every sealed value starts with. */
    public static final String PREFIX = "irisx:";

    private static final String VERSION = "v1";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int SHOWN_CHARS = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    // A Cipher is not thread-safe, and Cipher.getInstance costs more than sealing a short secret; each thread keeps
    // one (a JDK object, so no class loader is held) and initialises it afresh for every value.
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(SecretSealer::newCipher);

    private final SealingKeys keys;

    private SecretSealer(SealingKeys keys) {
        this.keys = keys;
    }

    /** A sealer that seals with the primary of {@code keys} and opens with any of them. */
    public static SecretSealer of(SealingKeys keys) {
        return new SecretSealer(Objects.requireNonNull(keys, "keys"));
    }

    /** The keys this sealer uses. */
    public SealingKeys keys() {
        return keys;
    }

    /**
     * Seals {@code plaintext} with the primary key, for {@code context}; each call gives a different value.
     *
     * @param plaintext the secret
     * @param context what the secret belongs to, e.g. {@code "tenant:acme/webhook-secret"}; not empty, and the same
     *        text must be given to open it. It is not secret, and may appear in error messages
     * @return {@code irisx:v1:<keyId>:<data>}
     * @throws IllegalArgumentException when the plaintext or the context holds a lone UTF-16 surrogate, which UTF-8
     *         cannot carry: it would open as other text, and contexts differing there would not be told apart
     */
    public String seal(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        requireWellFormed(plaintext, "plaintext");
        checkContext(context);
        String keyId = keys.primaryKeyId();
        String header = PREFIX + VERSION + ":" + keyId + ":";
        byte[] input = plaintext.getBytes(StandardCharsets.UTF_8);
        byte[] output = new byte[NONCE_BYTES + input.length + TAG_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, output, 0, NONCE_BYTES);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BYTES * 8, output, 0, NONCE_BYTES));
            cipher.updateAAD(aad(header, context));
            cipher.doFinal(input, 0, input.length, output, NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot encrypt with " + TRANSFORMATION + ": " + e, e);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
        return header + ENCODER.encodeToString(output);
    }

    /** Seals the secret's plaintext, as {@link #seal(String, String)}. */
    public String seal(Secret secret, String context) {
        return seal(Objects.requireNonNull(secret, "secret").reveal(), context);
    }

    /**
     * Opens a value that {@link #seal(String, String)} made for the same {@code context}.
     *
     * @throws SecretSealingException when the value is malformed, names a key id these keys do not hold, or fails
     *         authentication (altered, sealed with another key under that id, or for another context)
     */
    public String open(String sealed, String context) {
        Objects.requireNonNull(sealed, "sealed");
        checkContext(context);
        Parsed parsed = parse(sealed);
        SecretKeySpec key = keys.key(parsed.keyId);
        if (key == null) {
            throw new SecretSealingException(Reason.UNKNOWN_KEY, "cannot open " + shown(sealed)
                    + ": it was sealed with key id '" + parsed.keyId + "', which is not among the configured keys "
                    + keys.keyIds() + "; add that key to the SealingKeys to open the values it sealed");
        }
        byte[] data = parsed.data;
        byte[] plain;
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, data, 0, NONCE_BYTES));
            cipher.updateAAD(aad(parsed.header, context));
            plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SecretSealingException(Reason.AUTHENTICATION_FAILED, "cannot open " + shown(sealed)
                    + ": authentication failed; the value was altered, or sealed with a different key under id '"
                    + parsed.keyId + "', or for a different context than '" + context + "'");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot decrypt with " + TRANSFORMATION + ": " + e, e);
        }
        try {
            return new String(plain, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Opens a sealed value as {@link #open(String, String)}, into a {@link Secret} that never prints it. */
    public Secret openSecret(String sealed, String context) {
        return Secret.of(open(sealed, context));
    }

    /**
     * Whether {@code sealed} names a key other than the primary, so that it should be opened and sealed again after a
     * key rotation. It reads the key id only: it does not check that the value opens.
     *
     * @throws SecretSealingException when the value is malformed
     */
    public boolean needsResealing(String sealed) {
        Objects.requireNonNull(sealed, "sealed");
        return !parse(sealed).keyId.equals(keys.primaryKeyId());
    }

    private static Parsed parse(String sealed) {
        if (!sealed.startsWith(PREFIX)) {
            throw malformed(sealed, "it does not start with '" + PREFIX + "' (expected " + PREFIX + VERSION
                    + ":<keyId>:<data>)");
        }
        int versionEnd = sealed.indexOf(':', PREFIX.length());
        if (versionEnd < 0) {
            throw malformed(sealed, "it has no version (expected " + PREFIX + VERSION + ":<keyId>:<data>)");
        }
        if (!sealed.regionMatches(PREFIX.length(), VERSION, 0, VERSION.length())
                || versionEnd != PREFIX.length() + VERSION.length()) {
            throw malformed(sealed, "its version is not " + VERSION + ", the only one this IRISX reads");
        }
        int keyIdEnd = sealed.indexOf(':', versionEnd + 1);
        if (keyIdEnd < 0) {
            throw malformed(sealed, "it has no key id (expected " + PREFIX + VERSION + ":<keyId>:<data>)");
        }
        String keyId = sealed.substring(versionEnd + 1, keyIdEnd);
        if (!SealingKeys.isValidKeyId(keyId)) {
            throw malformed(sealed, "its key id is not 1-32 characters of letters, digits, '_' or '-'");
        }
        String encoded = sealed.substring(keyIdEnd + 1);
        byte[] data;
        try {
            data = DECODER.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw malformed(sealed, "its data is not base64url");
        }
        // The decoder ignores stray bits in the last character; re-encoding catches a changed one.
        if (!ENCODER.encodeToString(data).equals(encoded)) {
            throw malformed(sealed, "its data is not canonical unpadded base64url");
        }
        if (data.length < NONCE_BYTES + TAG_BYTES) {
            throw malformed(sealed, "its data is " + data.length + " bytes, shorter than a nonce and a tag ("
                    + (NONCE_BYTES + TAG_BYTES) + ")");
        }
        return new Parsed(sealed.substring(0, keyIdEnd + 1), keyId, data);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + TRANSFORMATION + ": " + e, e);
        }
    }

    private static byte[] aad(String header, String context) {
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        byte[] tail = context.getBytes(StandardCharsets.UTF_8);
        byte[] aad = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, aad, head.length, tail.length);
        return aad;
    }

    private static void checkContext(String context) {
        Objects.requireNonNull(context, "context");
        if (context.isEmpty()) {
            throw new IllegalArgumentException("context must name what the secret belongs to, e.g. "
                    + "\"tenant:acme/webhook-secret\", was ''");
        }
        requireWellFormed(context, "context");
    }

    /** Refuses text that UTF-8 cannot carry as it is: the encoder would put '?' for each lone surrogate. */
    private static void requireWellFormed(String text, String name) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // The text itself is not shown: it may be the secret.
                throw new IllegalArgumentException(name + " holds a lone UTF-16 surrogate at index " + i
                        + ", which UTF-8 cannot carry; give well-formed Unicode text");
            }
        }
    }

    private static SecretSealingException malformed(String sealed, String problem) {
        return new SecretSealingException(Reason.MALFORMED, shown(sealed) + " is not a sealed IRISX value: " + problem);
    }

    /**
     * The start of a sealed value, enough to recognise it in a message, never all of it. Text that is not a sealed
     * value may be a plaintext secret given by mistake, so it is described by its length only.
     */
    private static String shown(String sealed) {
        if (!sealed.startsWith(PREFIX)) {
            return "a value of " + sealed.length() + " characters";
        }
        StringBuilder shown = new StringBuilder("'");
        int end = Math.min(sealed.length(), SHOWN_CHARS);
        for (int i = 0; i < end; i++) {
            char c = sealed.charAt(i);
            shown.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return shown.append(sealed.length() > SHOWN_CHARS ? "…' (" + sealed.length() + " characters)" : "'")
                .toString();
    }

    private record Parsed(String header, String keyId, byte[] data) {
    }
}
