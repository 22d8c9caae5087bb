/** What the channels of irisx-messaging share, not API: the provider chain with its circuit breakers. */
package io.irisx.messaging.internal;
