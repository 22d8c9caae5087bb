/**
 * The {@code webhooks} suite: Standard Webhooks signing and verification of irisx-webhooks, beside the raw JDK
 * HMAC-SHA256 and Base64 over the same bytes.
 */
package io.irisx.benchmarks.webhooks;
