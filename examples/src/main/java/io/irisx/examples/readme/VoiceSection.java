package io.irisx.examples.readme;

import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.id.CallId;
import io.irisx.voice.CallRequest;
import io.irisx.voice.MachineDetection;
import io.irisx.voice.RecordingMode;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.freeswitch.FreeSwitchVoiceProvider;
import io.irisx.voice.spi.VoiceProvider;
import io.irisx.voice.twilio.TwilioVoiceCallbacks;
import java.time.Duration;

/** The README's "Voice"; stateless and thread-safe. */
public final class VoiceSection {

    private VoiceSection() {
    }

    /** What the block made: the runtime (the caller closes it), tenant acme's calls, the call's id, and the handlers. */
    public record Placed(Irisx irisx, Voice voice, CallId id, TwilioVoiceCallbacks twilio) {
    }

    /**
     * The voice module with {@code twilioProvider} and a support flow on the embedded defaults, a call of tenant
     * acme's running it, and the handlers that check Twilio's requests with {@code authToken}.
     */
    public static Placed voice(VoiceProvider twilioProvider, String authToken) {
        // README:begin voice
        Flow support = Flow.builder("support")
                .say("welcome", "Thanks for calling Acme.")
                .gather("menu", gather -> gather
                        .say("For sales, press 1. To leave a message, press 2.")
                        .numDigits(1)
                        .branch("1", "sales")
                        .branch("2", "voicemail")
                        .retryPrompt("Sorry, I did not get that.")
                        .maxRetries(2)
                        .otherwise("goodbye"))                        // once the retries run out
                .dial("sales", "+14155550100")
                .hangup("after-sales")
                .record("voicemail", record -> record.maxLength(Duration.ofMinutes(2)).then("goodbye"))
                .say("goodbye", "Goodbye.")
                .build();                                             // checked: targets, reachability, gathers

        Irisx irisx = Irisx.builder()
                .install(VoiceModule.builder()
                        .provider(twilioProvider)                     // TwilioVoiceProvider.builder(accountSid, authToken)
                                                                      //     .flowUrl("https://hooks.acme.example/voice/{tenant}/twilio")
                                                                      //     .recordingStatusCallbackUrl("https://hooks.acme.example/voice/{tenant}/recording")
                                                                      //     .build()
                        .flow(support)
                        .defaultRegion("GB")
                        .build())
                .build();
        Tenant acme = irisx.tenant("acme");
        Voice voice = Voice.of(acme);

        CallId id = voice.call(CallRequest.builder()
                .to("07400 123456")                                   // national, in the default region, or +44…
                .from("+442079460123")
                .flow("support")                                      // or .url("https://…") of the host's own TwiML
                .record(RecordingMode.DUAL)
                .machineDetection(MachineDetection.ENABLE)
                .ringTimeout(Duration.ofSeconds(30))
                .statusCallback("https://hooks.acme.example/voice/acme/status")
                .idempotencyKey("callback-8812")
                .build());                                            // stored QUEUED, queued on the VOICE channel

        TwilioVoiceCallbacks twilio = TwilioVoiceCallbacks.builder(acme, authToken)
                .statusUrl("https://hooks.acme.example/voice/acme/status")  // exactly as Twilio was given them
                .recordingUrl("https://hooks.acme.example/voice/acme/recording")
                .flowUrl("https://hooks.acme.example/voice/acme/twilio")
                .inboundFlow("support")                               // for calls to acme's numbers
                .build();
        // in the host's controllers: twilio.status(request) at the status URL, twilio.recording(request) at the
        // recording URL, twilio.flow(request) at the flow URL
        // README:end
        return new Placed(irisx, voice, id, twilio);
    }

    /**
     * The README's FreeSWITCH provider, for the Event Socket at 10.0.0.5:8021 with {@code eventSocketPassword}: built,
     * not connected (it connects once a module it is registered on is installed); the caller closes it.
     */
    public static FreeSwitchVoiceProvider freeswitch(String eventSocketPassword) {
        // README:begin voice-freeswitch
        FreeSwitchVoiceProvider freeswitch = FreeSwitchVoiceProvider.builder("10.0.0.5", 8021, eventSocketPassword)
                .dialString("sofia/gateway/carrier/{number}")
                .recordings("/var/lib/freeswitch/recordings", "https://media.acme.example/recordings")
                .build();                                             // VoiceModule.builder().provider(freeswitch); it connects
        // README:end
        return freeswitch;
    }
}
