package io.irisx.core.credit.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import io.irisx.core.secret.Secret;
import java.time.Clock;
import java.time.Duration;

/**
 * The check of a Stripe webhook's {@code Stripe-Signature} through stripe-java's {@link Webhook#constructEvent}, kept
 * apart so that {@link StripeWebhooks} names no SDK type; stateless.
 */
final class StripeSignatures {

    private StripeSignatures() {
    }

    /** An event whose signature verified: its id, its type, and its {@code data.object} as raw JSON. */
    record Verified(String id, String type, String object) {
    }

    /** Why a request was refused. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Verifies {@code header} over {@code payload} with {@code secret}, its timestamp within {@code tolerance} of
     * {@code clock}, and reads the event.
     *
     * @throws Refused when the signature is missing, forged or stale, or the payload is not an event
     */
    static Verified verify(String payload, String header, Secret secret, Duration tolerance, Clock clock)
            throws Refused {
        if (header.isEmpty()) {
            throw new Refused("the Stripe-Signature header is missing");
        }
        Event event;
        try {
            event = Webhook.constructEvent(payload, header, secret.reveal(), tolerance.toSeconds(), clock);
        } catch (SignatureVerificationException e) {
            // Stripe's reason ("No signatures found matching the expected signature for payload", "Timestamp outside
            // the tolerance zone"); it holds neither the secret nor the payload.
            throw new Refused("the Stripe-Signature does not verify: " + e.getMessage());
        } catch (RuntimeException e) {
            // Gson's parse failures (JsonSyntaxException, IllegalStateException): the signature held, the JSON not.
            throw new Refused("the body is not a Stripe event");
        }
        if (event == null || event.getId() == null || event.getType() == null || event.getDataObjectDeserializer()
                .getRawJson() == null) {
            throw new Refused("the event lacks its id, type or data.object");
        }
        return new Verified(event.getId(), event.getType(), event.getDataObjectDeserializer().getRawJson());
    }
}
