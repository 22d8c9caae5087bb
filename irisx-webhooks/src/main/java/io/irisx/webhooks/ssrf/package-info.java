/**
 * The SSRF guard of outbound webhooks: the {@link io.irisx.webhooks.ssrf.SsrfPolicy} of which addresses webhooks may
 * reach, and the {@link io.irisx.webhooks.ssrf.SsrfGuard} that checks URLs at registration and sets up the OkHttp
 * client that delivers them.
 */
package io.irisx.webhooks.ssrf;
