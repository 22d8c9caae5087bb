package io.irisx.voice.flow;

import java.time.Duration;

/** The flows the voice tests share: the flow tests check them, the TwiML golden files and the handler render them. */
public final class SampleFlows {

    /** Every kind of step: a menu, a transfer, a voicemail, a redirect to another flow. */
    public static final Flow SUPPORT = Flow.builder("support")
            .say("welcome", Prompt.say("Thanks for calling Acme & Co.").voice("Polly.Amy").language("en-GB"))
            .pause("breath", Duration.ofSeconds(1))
            .gather("menu", gather -> gather
                    .say("For sales, press 1. To leave a message, press 2.")
                    .play("https://cdn.acme.example/chime.mp3")
                    .numDigits(1)
                    .timeout(Duration.ofSeconds(7))
                    .branch("1", "sales")
                    .branch("2", "voicemail")
                    .retryPrompt("Sorry, I did not get that.")
                    .maxRetries(2)
                    .otherwise("goodbye"))
            .dial("sales", "+14155550100", dial -> dial.timeout(Duration.ofSeconds(25)).callerId("+14155550199"))
            .play("after-sales", "https://cdn.acme.example/thanks.mp3")
            .hangup("end")
            .record("voicemail", record -> record.maxLength(Duration.ofMinutes(2)).transcribe(true).then("goodbye"))
            .say("goodbye", "Goodbye.")
            .redirect("survey", "survey")
            .build();

    /** What {@link #SUPPORT} redirects to. */
    public static final Flow SURVEY = Flow.builder("survey")
            .gather("rate", gather -> gather.say("Rate us from 1 to 5.").numDigits(1).branch("1", "thanks")
                    .branch("2", "thanks").branch("3", "thanks").branch("4", "thanks").branch("5", "thanks"))
            .say("thanks", "Thank you.")
            .build();

    private SampleFlows() {
    }
}
