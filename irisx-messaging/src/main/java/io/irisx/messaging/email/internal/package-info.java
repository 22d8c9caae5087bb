/**
 * What the email channel is built from, not API: the store and its rows, the sender that works the EMAIL channel, the
 * template renderer, the REST providers' HTTP calls.
 */
package io.irisx.messaging.email.internal;
