/**
 * Twilio for the voice channel, through the official Twilio SDK: {@link io.irisx.voice.twilio.TwilioVoiceProvider}
 * places, hangs up and redirects calls; {@link io.irisx.voice.twilio.TwilioVoiceCallbacks} checks Twilio's signed
 * status callbacks and answers its voice webhooks with the TwiML of a flow's steps.
 */
package io.irisx.voice.twilio;
