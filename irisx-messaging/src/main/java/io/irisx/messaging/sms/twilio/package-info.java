/**
 * Twilio: {@link io.irisx.messaging.sms.twilio.TwilioProvider} sends SMS and MMS through Twilio's Messages API with
 * the official Twilio SDK ({@code com.twilio.sdk:twilio}, an optional dependency the host adds).
 */
package io.irisx.messaging.sms.twilio;
