/**
 * Outbound webhooks to the host's customers: Standard Webhooks signing and verification, endpoints, delivery and
 * the SSRF guard.
 */
package io.irisx.webhooks;
