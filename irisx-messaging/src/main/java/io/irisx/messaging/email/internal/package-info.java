/**
 * What the email channel is built from, not API: the store and its rows, the sender that works the EMAIL channel, the
 * template renderer, the REST providers' HTTP calls, and the unsubscribe and tracking links (tenant keys, tokens,
 * the HTML rewrite, their rows and pages).
 */
package io.irisx.messaging.email.internal;
