package io.irisx.webhooks.signing;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one webhook secret; thread-safe.
 *
 * <p>A {@link Mac} is not thread-safe, and {@code Mac.getInstance} with {@code init} costs more than signing a short
 * body; a prototype is initialised once and copied. One copy waits as the spare for the next call, so a key used by one
 * thread at a time is never copied again; a thread that finds the spare taken signs with a copy of its own, which
 * becomes the spare when it is returned. At rest a key holds two {@code Mac}s, however many threads sign with it.
 */
final class HmacSha256 {

    static final String ALGORITHM = "HmacSHA256";

    private final Mac prototype;
    private final AtomicReference<Mac> spare = new AtomicReference<>();

    HmacSha256(WebhookSecret secret) {
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(secret.key(), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + ": " + e, e);
        }
        spare.set(copy());
    }

    /** The MAC of {@code head} followed by {@code body}. */
    byte[] mac(byte[] head, byte[] body) {
        Mac mac = spare.getAndSet(null);
        if (mac == null) {
            mac = copy();
        }
        mac.update(head);
        mac.update(body);
        byte[] digest = mac.doFinal(); // also resets the Mac to the key's initial state
        spare.setRelease(mac); // the next getAndSet that takes it sees its state; no full fence needed
        return digest;
    }

    private Mac copy() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JVM's " + ALGORITHM + " cannot be copied: " + e, e);
        }
    }
}
