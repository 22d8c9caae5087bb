package io.irisx.core.outbox;

import io.irisx.core.Channel;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import java.util.Objects;

/**
 * One unit of work on a channel's queue: which message, whose, and the payload the channel's worker needs;
 * immutable.
 *
 * @param id the message's id; also the id the broker deduplicates on ({@code Nats-Msg-Id})
 * @param tenant whose message it is
 * @param channel whose queue it goes on
 * @param idempotencyKey unique per tenant and channel: a second envelope with the same key is not queued again
 * @param payload what the worker needs, as text (usually JSON); at most 1 MiB
 */
public record Envelope(MessageId id, TenantId tenant, Channel channel, String idempotencyKey, String payload) {

    /** The largest payload, in characters. */
    public static final int MAX_PAYLOAD = 1 << 20;
    /** The longest idempotency key, in characters. */
    public static final int MAX_IDEMPOTENCY_KEY = 255;

    /** Checks every field. */
    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(payload, "payload");
        if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
                || idempotencyKey.chars().anyMatch(Character::isISOControl)) {
            throw new IrisxValidationException("idempotencyKey", idempotencyKey,
                    "must be 1-" + MAX_IDEMPOTENCY_KEY + " characters with no control characters");
        }
        if (payload.length() > MAX_PAYLOAD) {
            throw new IrisxValidationException("payload", payload.length() + " characters",
                    "is larger than the " + MAX_PAYLOAD + " characters an envelope carries");
        }
    }

    /** An envelope with a new message id, which also serves as its idempotency key. */
    public static Envelope of(TenantId tenant, Channel channel, String payload) {
        MessageId id = MessageId.generate();
        return new Envelope(id, tenant, channel, id.value(), payload);
    }

    /** This envelope with the caller's idempotency key. */
    public Envelope withIdempotencyKey(String key) {
        return new Envelope(id, tenant, channel, key, payload);
    }

    @Override
    public String toString() {
        // The payload may hold personal data: it is never logged.
        return "Envelope[" + id + " tenant=" + tenant + " channel=" + channel + " payload=" + payload.length() + " chars]";
    }
}
