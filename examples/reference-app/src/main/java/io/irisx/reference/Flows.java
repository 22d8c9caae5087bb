package io.irisx.reference;

import io.irisx.voice.flow.Flow;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The app's IVR flows: {@code Flow} beans, which the starter gives the voice module. A call placed with
 * {@code "flow": "support"} runs this one; Twilio fetches each step's TwiML from the app's flow callback.
 */
@Configuration(proxyBeanMethods = false)
class Flows {

    @Bean
    Flow support() {
        return Flow.builder("support")
                .say("welcome", "Thanks for calling Acme.")
                .gather("menu", gather -> gather
                        .say("For our opening hours, press 1.")
                        .numDigits(1)
                        .branch("1", "hours")
                        .retryPrompt("Sorry, I did not get that.")
                        .maxRetries(2)
                        .otherwise("goodbye"))
                .say("hours", "We are open from nine to five, Monday to Friday.")
                .say("goodbye", "Goodbye.")
                .build();
    }
}
