package io.irisx.voice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The check that a provider's optional SDK is on the class path, and the coordinates it names when it is not. */
class VoiceSdkTest {

    @Test
    void the_coordinates_are_the_versions_the_build_filled_in() {
        assertThat(VoiceSdk.coordinates("twilio")).matches("com\\.twilio\\.sdk:twilio:\\d+\\.\\d+\\.\\d+");
        assertThatIllegalArgumentException().isThrownBy(() -> VoiceSdk.coordinates("sendgrid-java"))
                .withMessageContaining("twilio").withMessageContaining("polly");
        assertThat(VoiceSdk.coordinates("polly")).matches("software\\.amazon\\.awssdk:polly:\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void a_missing_polly_sdk_names_the_artifact_to_add() {
        assertThatIllegalStateException()
                .isThrownBy(() -> VoiceSdk.require("polly text-to-speech", "polly",
                        List.of("software.amazon.awssdk.services.polly.NotThere")))
                .withMessageContaining("the polly text-to-speech voice provider needs software.amazon.awssdk:polly"
                        + " on the class path")
                .withMessageContaining("add the dependency software.amazon.awssdk:polly");
    }

    @Test
    void a_missing_class_names_the_provider_and_the_artifact_to_add() {
        VoiceSdk.require("twilio", "twilio", List.of("com.twilio.rest.api.v2010.account.Call"));

        assertThatIllegalStateException()
                .isThrownBy(() -> VoiceSdk.require("twilio", "twilio", List.of("com.twilio.NotThere")))
                .withMessageContaining("the twilio voice provider needs com.twilio.sdk:twilio on the class path")
                .withMessageContaining("com.twilio.NotThere")
                .withMessageContaining("add the dependency com.twilio.sdk:twilio (IRISX is built and tested with version "
                        + VoiceSdk.coordinates("twilio").substring("com.twilio.sdk:twilio:".length()));
    }
}
