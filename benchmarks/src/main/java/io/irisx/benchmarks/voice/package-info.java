/** The voice suite: TwiML rendering of IVR flows beside the Twilio SDK's builders used by hand. */
package io.irisx.benchmarks.voice;
