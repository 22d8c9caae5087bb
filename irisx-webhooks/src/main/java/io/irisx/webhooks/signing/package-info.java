/**
 * Standard Webhooks (spec 1.0) signing and verification, on the JDK's own cryptography only.
 *
 * <p>A webhook carries three headers: {@code webhook-id}, {@code webhook-timestamp} (unix seconds) and
 * {@code webhook-signature}, a space-separated list of signatures of {@code id.timestamp.body} over the raw body
 * bytes. {@link io.irisx.webhooks.signing.WebhookSigner} makes them with one or several keys: symmetric
 * {@link io.irisx.webhooks.signing.WebhookSecret}s ({@code whsec_}, HMAC-SHA256, {@code v1,}) and Ed25519
 * {@link io.irisx.webhooks.signing.WebhookKeyPair}s ({@code whsk_}/{@code whpk_}, {@code v1a,}).
 * {@link io.irisx.webhooks.signing.WebhookVerifier} checks them on the receiving side.
 *
 * <p>Other IRISX modules may use only the {@code WebhookVerif*} classes of this package (an architecture rule), so
 * the verifier takes its keys as text too, and its builder and failure reasons are top-level classes of that name.
 */
package io.irisx.webhooks.signing;
