package io.irisx.examples.readme;

import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.twilio.TwilioCallbacks;

/** The README's "SMS and MMS"; stateless and thread-safe. */
public final class SmsSection {

    private SmsSection() {
    }

    /**
     * What the block made: the runtime (the caller closes it), tenant acme's SMS client, the message, its id, and the
     * Twilio callbacks.
     */
    public record Sent(Irisx irisx, SmsClient sms, SmsMessage message, MessageId id, TwilioCallbacks twilio) {
    }

    /**
     * The SMS module with {@code twilioProvider} on the embedded defaults, an SMS of tenant acme's to a national
     * number, and the callbacks that check Twilio's requests with {@code authToken}.
     */
    public static Sent sms(SmsProvider twilioProvider, String authToken) {
        // README:begin sms
        Irisx irisx = Irisx.builder()
                .install(SmsModule.builder()
                        .provider(twilioProvider)                     // TwilioProvider.builder(accountSid, authToken).build()
                        .defaultRegion("GB").maxSegments(3)
                        .build())
                .build();
        Tenant acme = irisx.tenant("acme");
        SmsClient sms = SmsClient.of(acme);

        SmsMessage message = SmsMessage.builder()
                .to("07400 123456")                                   // national, in the default region, or +44…
                .from("+447400654321")                                // or an alphanumeric id, or .messagingServiceSid(…)
                .body("Your code is 123456")
                .statusCallback("https://hooks.acme.example/twilio/status")
                .idempotencyKey("login-7731")
                .build();
        message.segments();                                           // GSM_7, 19 characters, 1 segment
        MessageId id = sms.send(message);                             // stored as +447400123456 and queued

        TwilioCallbacks twilio = TwilioCallbacks.builder(acme, authToken)
                .statusUrl("https://hooks.acme.example/twilio/status")     // exactly as Twilio was given them
                .inboundUrl("https://hooks.acme.example/twilio/inbound")
                .helpText("Acme: reply STOP to opt out.")
                .build();
        // in the host's controller: CallbackResponse response = twilio.status(new CallbackRequest(method, path, headers, body));
        // README:end
        return new Sent(irisx, sms, message, id, twilio);
    }
}
