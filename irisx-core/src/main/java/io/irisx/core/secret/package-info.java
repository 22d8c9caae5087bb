/**
 * Secrets at rest: {@link io.irisx.core.secret.SecretSealer} seals webhook secrets and provider keys with
 * AES-256-GCM under {@link io.irisx.core.secret.SealingKeys}, naming the key in each sealed value so keys can be
 * rotated, and {@link io.irisx.core.secret.Secret} carries a plaintext secret in memory without ever printing it.
 */
package io.irisx.core.secret;
