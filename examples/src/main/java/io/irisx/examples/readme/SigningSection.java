package io.irisx.examples.readme;

import io.irisx.webhooks.signing.WebhookHeaders;
import io.irisx.webhooks.signing.WebhookSecret;
import io.irisx.webhooks.signing.WebhookSigner;
import io.irisx.webhooks.signing.WebhookVerifier;
import java.time.Instant;

/** The README's "Signing and verifying webhooks"; stateless and thread-safe. */
public final class SigningSection {

    private SigningSection() {
    }

    /** What the block made: the headers it signed {@code body} with, and the verifier that accepted them. */
    public record Signed(WebhookHeaders headers, WebhookVerifier verifier) {
    }

    /** Signs {@code body} with a new secret and verifies the signature with that secret. */
    public static Signed signAndVerify(byte[] body) {
        // README:begin signing
        WebhookSecret secret = WebhookSecret.generate();               // whsec_…, 32 random bytes; toString() redacts it
        WebhookSigner signer = WebhookSigner.of(secret);                // thread-safe; several keys while rotating
        WebhookHeaders headers = signer.sign("evt_1", Instant.now(), body);   // id, timestamp, "v1,<base64>"

        WebhookVerifier verifier = WebhookVerifier.builder().secret(secret.reveal()).build();   // ±5 min, system clock
        verifier.verify(headers.asMap(), body);     // a receiver's request headers: Map<String, List<String>> or HttpHeaders
        // throws WebhookVerificationException, whose reason() is MISSING_HEADER, BAD_TIMESTAMP, TOO_OLD, TOO_NEW
        // or NO_MATCHING_SIGNATURE
        // README:end
        return new Signed(headers, verifier);
    }
}
