/**
 * The email kits: {@link io.irisx.testkit.email.EmailProviderContractKit}, which every
 * {@link io.irisx.messaging.email.spi.EmailProvider} passes against a local server of its API, and
 * {@link io.irisx.testkit.email.EmailSenderContractKit}, the email channel end to end on an outbox under test.
 */
package io.irisx.testkit.email;
