/**
 * Email through Resend's REST API: {@link io.irisx.messaging.email.resend.ResendProvider} sends it, and
 * {@link io.irisx.messaging.email.resend.ResendEvents} applies the signed events of Resend's webhooks (Standard
 * Webhooks, checked with irisx-webhooks' verifier) to the emails sent.
 */
package io.irisx.messaging.email.resend;
