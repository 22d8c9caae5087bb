/**
 * Test helpers that need no IRISX module, shared by irisx-testkit's contract kits and the modules' own tests: a
 * {@link io.irisx.testing.MutableClock} the test moves, a {@link io.irisx.testing.LogCapture} of IRISX's log lines,
 * {@link io.irisx.testing.TwilioSignatures} for form posts signed as Twilio signs its webhooks, and
 * {@link io.irisx.testing.Dkimpy}, an independent DKIM verifier.
 */
package io.irisx.testing;
