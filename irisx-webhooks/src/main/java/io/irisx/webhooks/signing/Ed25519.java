package io.irisx.webhooks.signing;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/** Ed25519 signatures over {@code head} then {@code body}, with the JDK's own implementation; stateless. */
final class Ed25519 {

    static final String ALGORITHM = "Ed25519";
    static final int SIGNATURE_BYTES = 64;

    private Ed25519() {
    }

    static byte[] sign(PrivateKey key, byte[] head, byte[] body) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(head);
            signature.update(body);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot sign with " + ALGORITHM + ": " + e, e);
        }
    }

    /**
     * Whether {@code candidate} is a valid signature; false for one whose S is not below the group order L, checked
     * here so as not to rest on the JDK's own check: S + L verifies like S in the curve equation, so accepting it would
     * let anyone turn one signature into others.
     */
    static boolean verify(PublicKey key, byte[] head, byte[] body, byte[] candidate) {
        if (candidate.length != SIGNATURE_BYTES || !Ed25519Points.isCanonicalScalar(candidate, SIGNATURE_BYTES / 2)) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(head);
            signature.update(body);
            return signature.verify(candidate);
        } catch (SignatureException | InvalidKeyException e) {
            return false; // a malformed signature, or a public key that is no curve point: no match
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot verify with " + ALGORITHM + ": " + e, e);
        }
    }
}
