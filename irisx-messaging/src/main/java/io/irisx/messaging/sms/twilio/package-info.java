/**
 * Twilio: {@link io.irisx.messaging.sms.twilio.TwilioProvider} sends SMS and MMS through Twilio's Messages API with
 * the official Twilio SDK ({@code com.twilio.sdk:twilio}, an optional dependency the host adds), and
 * {@link io.irisx.messaging.sms.twilio.TwilioCallbacks} handles Twilio's signed status callbacks and incoming
 * messages.
 */
package io.irisx.messaging.sms.twilio;
