package io.irisx.webhooks.signing;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Signs webhooks as Standard Webhooks 1.0 asks, with one or several keys; immutable and thread-safe, cheap to reuse:
 * build one per set of keys (say, per endpoint) and share it.
 *
 * <p>Each key adds one signature to the {@code webhook-signature} header, in the order given: {@code v1,<base64>}
 * (HMAC-SHA256) for a {@link WebhookSecret}, {@code v1a,<base64>} (Ed25519) for a {@link WebhookKeyPair}. To rotate a
 * key without downtime, sign with the new and the old key until every consumer has the new one: a consumer accepts a
 * webhook when any one signature matches a key it knows.
 */
public final class WebhookSigner {

    private final KeySigner[] signers;

    private WebhookSigner(KeySigner[] signers) {
        this.signers = signers;
    }

    /** A signer with {@code keys}, each adding one signature, in this order. */
    public static WebhookSigner of(WebhookSigningKey... keys) {
        return of(List.of(keys));
    }

    /**
     * A signer with {@code keys}, each adding one signature, in this order.
     *
     * @throws IllegalArgumentException when there is no key
     */
    public static WebhookSigner of(List<? extends WebhookSigningKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("keys must hold at least one key, was empty");
        }
        KeySigner[] signers = new KeySigner[keys.size()];
        for (int i = 0; i < signers.length; i++) {
            signers[i] = signerOf(Objects.requireNonNull(keys.get(i), "keys[" + i + "]"));
        }
        return new WebhookSigner(signers);
    }

    /**
     * The headers of a webhook with this id, timestamp and body.
     *
     * @param id the webhook's unique id, such as an {@code evt_…} id; printable ASCII without spaces or {@code .}
     *        (a {@code .} would let one signed content pass for another)
     * @param timestamp when it is sent, in unix seconds; not negative
     * @param body the exact bytes of the request body
     * @throws IllegalArgumentException when the id or the timestamp is not that
     */
    public WebhookHeaders sign(String id, long timestamp, byte[] body) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        byte[] head = SignedContent.head(id, timestamp);
        String signature;
        if (signers.length == 1) {
            signature = signers[0].sign(head, body);
        } else {
            StringBuilder joined = new StringBuilder(64 * signers.length);
            for (KeySigner signer : signers) {
                joined.append(joined.length() == 0 ? "" : " ").append(signer.sign(head, body));
            }
            signature = joined.toString();
        }
        return new WebhookHeaders(id, timestamp, signature);
    }

    /** The headers of a webhook sent at {@code timestamp} (its whole seconds), as {@link #sign(String, long, byte[])}. */
    public WebhookHeaders sign(String id, Instant timestamp, byte[] body) {
        return sign(id, Objects.requireNonNull(timestamp, "timestamp").getEpochSecond(), body);
    }

    /** {@code WebhookSigner[n keys]}; never a key. */
    @Override
    public String toString() {
        return "WebhookSigner[" + signers.length + (signers.length == 1 ? " key]" : " keys]");
    }

    private static KeySigner signerOf(WebhookSigningKey key) {
        if (key instanceof WebhookSecret secret) {
            HmacSha256 hmac = new HmacSha256(secret);
            return (head, body) -> "v1," + Base64.getEncoder().encodeToString(hmac.mac(head, body));
        }
        WebhookKeyPair pair = (WebhookKeyPair) key;
        return (head, body) -> "v1a," + Base64.getEncoder().encodeToString(Ed25519.sign(pair.privateKey(), head, body));
    }

    /** Signs with one key. */
    @FunctionalInterface
    private interface KeySigner {
        String sign(byte[] head, byte[] body);
    }
}
