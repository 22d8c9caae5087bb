/**
 * Test helpers that need no IRISX module, shared by irisx-testkit's contract kits and the modules' own tests: a
 * {@link io.irisx.testing.MutableClock} the test moves, a {@link io.irisx.testing.LogCapture} of IRISX's log lines,
 * and {@link io.irisx.testing.TwilioSignatures} for form posts signed as Twilio signs its webhooks.
 */
package io.irisx.testing;
