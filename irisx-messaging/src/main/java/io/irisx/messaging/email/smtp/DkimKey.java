package io.irisx.messaging.email.smtp;

import io.irisx.core.secret.SecretSealer;
import io.irisx.messaging.email.internal.DkimSigner;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The private key an {@link SmtpProvider} signs outgoing mail with (DKIM): RSA of at least 1024 bits (2048 is what
 * RFC 8301 asks signers for), signing {@code rsa-sha256}, or Ed25519, signing {@code ed25519-sha256} (RFC 8463);
 * immutable and thread-safe. It never prints the key.
 *
 * <p><b>At rest.</b> IRISX never stores a DKIM key: the provider holds it in memory only, as a JDK
 * {@link PrivateKey}, for as long as the provider lives. Keeping the key wherever the host keeps it (a secret store,
 * its configuration) is the host's. A host that keeps it in its own configuration can keep it sealed there with the
 * runtime's sealer, and give the sealed value to {@link #fromSealed(String, String, SecretSealer)}: the plaintext key
 * then exists only in memory, opened when the provider is built. Seal it once, for a context naming what it is:
 *
 * <pre>{@code
 * String sealed = irisx.sealer().seal(pem, "dkim:acme.example/mail2026");          // stored in the host's config
 * DkimKey key = DkimKey.fromSealed(sealed, "dkim:acme.example/mail2026", irisx.sealer());
 * }</pre>
 *
 * <p>The decoded key bytes are wiped once parsed; the PEM text a caller passes as a {@link String} cannot be (Java
 * strings are immutable), and lives until it is collected.
 */
public final class DkimKey {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
            Pattern.DOTALL);
    /** DER of the PKCS#8 prefix up to the RSA key: version 0 and the rsaEncryption algorithm, NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
        (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final PrivateKey key;
    private final String algorithm;

    private DkimKey(PrivateKey key) {
        this.key = key;
        this.algorithm = DkimSigner.algorithm(key);
    }

    /**
     * A key given as a JDK private key (from a {@code KeyStore}, a {@code KeyPairGenerator}, a host's own parsing).
     *
     * @throws IllegalArgumentException when it is neither RSA of at least 1024 bits nor Ed25519
     */
    public static DkimKey of(PrivateKey key) {
        return new DkimKey(Objects.requireNonNull(key, "key"));
    }

    /**
     * A key in PEM: PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, as {@code openssl genpkey} writes it) or, for RSA,
     * PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}, as {@code opendkim-genkey} and older {@code openssl genrsa}
     * write it). Text around the PEM block is ignored.
     *
     * @throws IllegalArgumentException when the text holds no such block, an encrypted or public key, or a key that
     *     is neither RSA of at least 1024 bits nor Ed25519; the message never shows the key
     */
    public static DkimKey fromPem(String pem) {
        Objects.requireNonNull(pem, "pem");
        Matcher block = PEM.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("the DKIM key is not a PEM private key (expected -----BEGIN PRIVATE"
                    + " KEY----- … -----END PRIVATE KEY-----); was a value of " + pem.length()
                    + " characters (not shown)");
        }
        String type = block.group(1);
        if (block.group(2).indexOf(':') >= 0) {
            // RFC 1421 headers (Proc-Type: 4,ENCRYPTED and DEK-Info): OpenSSL's legacy encrypted key.
            throw new IllegalArgumentException("the DKIM key is an encrypted PEM (it has Proc-Type/DEK-Info"
                    + " headers); give it decrypted (openssl pkcs8 -topk8 -nocrypt), sealed with the runtime's"
                    + " sealer if it is kept in configuration (DkimKey.fromSealed)");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(block.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the DKIM key's PEM block is not valid base64 (not shown)");
        }
        try {
            return switch (type) {
                case "PRIVATE KEY" -> fromPkcs8(der);
                case "RSA PRIVATE KEY" -> fromPkcs8(pkcs8OfRsa(der));
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("the DKIM key is encrypted;"
                        + " give it decrypted (openssl pkcs8 -topk8 -nocrypt), sealed with the runtime's sealer if it"
                        + " is kept in configuration (DkimKey.fromSealed)");
                case "PUBLIC KEY" -> throw new IllegalArgumentException("the DKIM key is a public key; DKIM signs"
                        + " with the private key, and the public key goes in DNS");
                default -> throw new IllegalArgumentException("the DKIM key is a PEM '" + type + "'; expected"
                        + " 'PRIVATE KEY' (PKCS#8) or 'RSA PRIVATE KEY' (PKCS#1), RSA or Ed25519");
            };
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * A key in PKCS#8 DER, RSA or Ed25519. The array is not kept (nor wiped: it is the caller's).
     *
     * @throws IllegalArgumentException when the bytes are not such a key; the message never shows them
     */
    public static DkimKey fromPkcs8(byte[] der) {
        Objects.requireNonNull(der, "der");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "Ed25519")) {
            PrivateKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                continue; // not a key of this algorithm: try the next
            }
            return of(key);
        }
        throw new IllegalArgumentException("the DKIM key is not an RSA or Ed25519 private key in PKCS#8 ("
                + der.length + " bytes, not shown); other key types (EC, Ed448) cannot sign DKIM");
    }

    /**
     * The key sealed with {@code sealer} for {@code context} as {@code sealer.seal(pem, context)} made it: the PEM is
     * opened in memory and parsed as {@link #fromPem(String)} does. The way to keep a DKIM key in a host's
     * configuration without keeping it in plaintext.
     *
     * @throws io.irisx.core.secret.SecretSealingException when the value does not open with this sealer for this
     *     context
     * @throws IllegalArgumentException when what it opens to is not a key {@link #fromPem(String)} takes
     */
    public static DkimKey fromSealed(String sealed, String context, SecretSealer sealer) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(sealer, "sealer");
        return fromPem(sealer.open(sealed, context));
    }

    /** The {@code a=} this key signs: {@code rsa-sha256} or {@code ed25519-sha256}. */
    public String algorithm() {
        return algorithm;
    }

    PrivateKey privateKey() {
        return key;
    }

    /** The algorithm, and the size of an RSA key; never the key. */
    @Override
    public String toString() {
        return "DkimKey[" + algorithm
                + (key instanceof RSAPrivateKey rsa ? " " + rsa.getModulus().bitLength() + " bits" : "") + "]";
    }

    /** PKCS#8 around an RSA key in PKCS#1: the structure the JDK's key factory reads. */
    private static byte[] pkcs8OfRsa(byte[] pkcs1) {
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[RSA_ALGORITHM.length + octets.length];
        System.arraycopy(RSA_ALGORITHM, 0, body, 0, RSA_ALGORITHM.length);
        System.arraycopy(octets, 0, body, RSA_ALGORITHM.length, octets.length);
        Arrays.fill(octets, (byte) 0);
        try {
            return der(0x30, body);
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    /** A DER element: its tag, its length (short or long form) and its content. */
    private static byte[] der(int tag, byte[] content) {
        int length = content.length;
        int lengthBytes = length < 0x80 ? 0 : (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[2 + lengthBytes + length];
        out[0] = (byte) tag;
        if (lengthBytes == 0) {
            out[1] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                out[2 + i] = (byte) (length >>> (8 * (lengthBytes - 1 - i)));
            }
        }
        System.arraycopy(content, 0, out, 2 + lengthBytes, length);
        return out;
    }
}
