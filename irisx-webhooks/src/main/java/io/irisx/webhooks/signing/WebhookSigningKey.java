package io.irisx.webhooks.signing;

/**
 * A key that signs webhooks: a symmetric {@link WebhookSecret} ({@code v1} signatures) or an Ed25519
 * {@link WebhookKeyPair} ({@code v1a} signatures); immutable and thread-safe.
 */
public sealed interface WebhookSigningKey permits WebhookSecret, WebhookKeyPair {
}
