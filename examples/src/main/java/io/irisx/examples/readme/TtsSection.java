package io.irisx.examples.readme;

import io.irisx.core.Irisx;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.spi.VoiceProvider;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.TextToSpeech;
import io.irisx.voice.tts.spi.TtsProvider;
import java.nio.file.Path;

/** The README's "Text-to-speech"; stateless and thread-safe. */
public final class TtsSection {

    private TtsSection() {
    }

    /** What the block made: the runtime (the caller closes it, which closes the text-to-speech) and the text-to-speech. */
    public record Spoken(Irisx irisx, TextToSpeech tts) {
    }

    /**
     * The voice module with {@code twilioProvider}, a support flow whose menu is spoken through {@code openAi}, else
     * {@code elevenLabs}, its audio cached in {@code cacheDirectory} under keys made with {@code hashKey}.
     */
    public static Spoken tts(VoiceProvider twilioProvider, TtsProvider openAi, TtsProvider elevenLabs, byte[] hashKey,
            Path cacheDirectory) {
        Flow support = Flow.builder("support")
                .gather("menu", gather -> gather.say("For sales, press 1.").numDigits(1).branch("1", "sales"))
                .dial("sales", "+14155550100")
                .build();
        // README:begin voice-tts
        TextToSpeech tts = TextToSpeech.builder()
                .provider(openAi, "alloy")                    // tried first: OpenAiTtsProvider.builder(openAiKey).build()
                .provider(elevenLabs, "21m00Tcm4TlvDq8ikWAM") // ElevenLabsTtsProvider.builder(elevenLabsKey).build(), or
                                                              // PollyTtsProvider.builder("eu-west-1").credentials(keyId, secret).build()
                .format(AudioFormat.MP3)                      // or WAV
                .audioUrl("https://hooks.acme.example/irisx/tts/")  // where the host mounts tts.serve
                .hashKey(hashKey)                             // 32+ bytes, the same in every process sharing the cache
                .cacheDirectory(cacheDirectory, 2L << 30)     // by default irisx-data/tts-cache, 512 MiB
                .build();
        Irisx irisx = Irisx.builder()
                .install(VoiceModule.builder().provider(twilioProvider).flow(support).tts(tts).build())
                .build();
        // in the host's controller, for GET and HEAD under the audio URL: tts.serve(request)
        // README:end
        return new Spoken(irisx, tts);
    }
}
