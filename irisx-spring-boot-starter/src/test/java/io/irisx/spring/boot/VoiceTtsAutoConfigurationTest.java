package io.irisx.spring.boot;

import static io.irisx.spring.boot.Starter.propertyFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Irisx;
import io.irisx.voice.Voice;
import io.irisx.voice.flow.Prompt;
import io.irisx.voice.tts.TextToSpeech;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Text-to-speech configured from {@code irisx.voice.tts.*}: the providers in the chain's order, the cache directory
 * and size, the audio URL and the hash key, handed to the voice module, whose say prompts it then speaks, metered in
 * the application's MeterRegistry when it has one. OpenAI's
 * speech API on loopback answers as https://platform.openai.com/docs/api-reference/audio/createSpeech documents
 * ({@code POST /v1/audio/speech}, bearer key, audio bytes); ElevenLabs' as
 * https://elevenlabs.io/docs/api-reference/text-to-speech/convert does ({@code POST /v1/text-to-speech/{voice_id}},
 * {@code xi-api-key}, audio bytes; 503 when overloaded).
 */
class VoiceTtsAutoConfigurationTest {

    private static final String VOICE_ID = "21m00Tcm4TlvDq8ikWAM";
    private static final String AUDIO_URL = "https://media.acme.example/tts/";
    private static final String HASH_KEY = Base64.getEncoder().encodeToString("k".repeat(32).getBytes());

    @TempDir
    Path data;

    private ApplicationContextRunner runner(MockWebServer openai, MockWebServer elevenlabs) {
        return Starter.runner(data).withPropertyValues("irisx.voice.queue-only=true",
                "irisx.voice.tts.openai.api-key=sk-test-openai-key",
                "irisx.voice.tts.openai.base-url=" + base(openai),
                "irisx.voice.tts.elevenlabs.api-key=xi-test-elevenlabs-key",
                "irisx.voice.tts.elevenlabs.voice=" + VOICE_ID,
                "irisx.voice.tts.elevenlabs.base-url=" + base(elevenlabs),
                "irisx.voice.tts.order=elevenlabs, openai",
                "irisx.voice.tts.cache-directory=" + data.resolve("tts"),
                "irisx.voice.tts.cache-max-size=2MB",
                "irisx.voice.tts.audio-url=" + AUDIO_URL,
                "irisx.voice.tts.hash-key=" + HASH_KEY);
    }

    private static String base(MockWebServer server) {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    private static MockResponse audio(int fill) {
        byte[] frame = new byte[417];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xFB;
        frame[2] = (byte) 0x90;
        frame[3] = (byte) 0x44;
        java.util.Arrays.fill(frame, 4, frame.length, (byte) fill);
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/mpeg")
                .body(new Buffer().write(frame)).build();
    }

    private static Prompt.Speech say(String text) {
        return new Prompt.Speech(text, Optional.empty(), Optional.empty());
    }

    private long cached() throws Exception {
        try (Stream<Path> files = Files.walk(data.resolve("tts"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void say_prompts_are_synthesized_through_the_chain_in_its_order_cached_and_served_at_the_audio_url()
            throws Exception {
        try (MockWebServer openai = new MockWebServer(); MockWebServer elevenlabs = new MockWebServer()) {
            openai.start();
            elevenlabs.start();
            elevenlabs.enqueue(audio(1));
            elevenlabs.enqueue(new MockResponse.Builder().code(503).addHeader("Content-Type", "application/json")
                    .body("{\"detail\": {\"status\": \"system_busy\", \"message\": \"busy\"}}").build());
            openai.enqueue(audio(2));
            runner(openai, elevenlabs).run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(TextToSpeech.class);
                Voice voice = Voice.of(context.getBean(Irisx.class).tenant("acme"));

                String first = voice.speechUrl(say("Hello from Acme.")).orElseThrow();
                assertThat(first).startsWith(AUDIO_URL);
                RecordedRequest spoken = elevenlabs.takeRequest(10, TimeUnit.SECONDS);
                assertThat(spoken.getUrl().encodedPath()).isEqualTo("/v1/text-to-speech/" + VOICE_ID);
                assertThat(spoken.getHeaders().get("xi-api-key")).isEqualTo("xi-test-elevenlabs-key");
                assertThat(openai.getRequestCount()).isZero();

                // ElevenLabs overloaded: the next in the chain speaks.
                assertThat(voice.speechUrl(say("Goodbye."))).hasValueSatisfying(url -> assertThat(url)
                        .startsWith(AUDIO_URL));
                RecordedRequest fallback = openai.takeRequest(10, TimeUnit.SECONDS);
                assertThat(fallback.getUrl().encodedPath()).isEqualTo("/v1/audio/speech");
                assertThat(fallback.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-openai-key");
                assertThat(cached()).isEqualTo(2);

                TextToSpeech tts = context.getBean(TextToSpeech.class);
                assertThat(tts.audio(first.substring(AUDIO_URL.length()))).isPresent();
            });
            // The same hash key and cache directory in the next process: the audio is found, nothing is synthesized.
            runner(openai, elevenlabs).run(context -> {
                Voice voice = Voice.of(context.getBean(Irisx.class).tenant("acme"));
                assertThat(voice.speechUrl(say("Hello from Acme."))).isPresent();
                assertThat(elevenlabs.getRequestCount()).isEqualTo(2);
                assertThat(openai.getRequestCount()).isEqualTo(1);
            });
        }
    }

    @Test
    void the_text_to_speech_is_metered_in_the_applications_meter_registry() throws Exception {
        try (MockWebServer openai = new MockWebServer(); MockWebServer elevenlabs = new MockWebServer()) {
            openai.start();
            elevenlabs.start();
            elevenlabs.enqueue(new MockResponse.Builder().code(503).addHeader("Content-Type", "application/json")
                    .body("{\"detail\": {\"status\": \"system_busy\", \"message\": \"busy\"}}").build());
            openai.enqueue(audio(3));
            elevenlabs.enqueue(audio(4));
            runner(openai, elevenlabs).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                assertThat(context).hasNotFailed();
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                Voice voice = Voice.of(context.getBean(Irisx.class).tenant("acme"));

                // ElevenLabs overloaded, OpenAI speaks; then ElevenLabs speaks; then the same again, from the cache.
                assertThat(voice.speechUrl(say("Hello from Acme."))).isPresent();
                assertThat(voice.speechUrl(say("Goodbye."))).isPresent();
                assertThat(voice.speechUrl(say("Goodbye."))).isPresent();

                assertThat(elevenlabs.getRequestCount()).isEqualTo(2);
                assertThat(openai.getRequestCount()).isEqualTo(1);
                assertThat(registry.find("irisx.tts.calls").timers()).extracting(timer -> timer.getId().getTag(
                        "provider") + " " + timer.getId().getTag("outcome") + " " + timer.count())
                        .containsExactlyInAnyOrder("elevenlabs failed 1", "elevenlabs synthesized 1",
                                "openai synthesized 1");
                assertThat(registry.get("irisx.tts.characters").tag("provider", "openai").counter().count())
                        .isEqualTo("Hello from Acme.".length());
                assertThat(registry.get("irisx.tts.characters").tag("provider", "elevenlabs").counter().count())
                        .isEqualTo("Goodbye.".length());
                assertThat(registry.get("irisx.tts.cache").tag("result", "miss").counter().count()).isEqualTo(2);
                assertThat(registry.get("irisx.tts.cache").tag("result", "hit").counter().count()).isEqualTo(1);
                assertThat(registry.find("irisx.tts.circuit.state").gauges()).extracting(gauge -> gauge.getId()
                        .getTag("provider") + " " + gauge.value())
                        .containsExactlyInAnyOrder("elevenlabs 0.0", "openai 0.0");
            });
        }
    }

    @Test
    void without_micrometer_on_the_class_path_the_text_to_speech_works_unmetered() throws Exception {
        try (MockWebServer openai = new MockWebServer(); MockWebServer elevenlabs = new MockWebServer()) {
            openai.start();
            elevenlabs.start();
            elevenlabs.enqueue(audio(4));
            runner(openai, elevenlabs).withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(MeterRegistry.class);
                Voice voice = Voice.of(context.getBean(Irisx.class).tenant("acme"));
                assertThat(voice.speechUrl(say("Hello from Acme."))).hasValueSatisfying(url -> assertThat(url)
                        .startsWith(AUDIO_URL));
                assertThat(elevenlabs.getRequestCount()).isEqualTo(1);
            });
        }
    }

    @Test
    void without_a_provider_there_is_no_text_to_speech() {
        Starter.runner(data).withPropertyValues("irisx.voice.queue-only=true").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(TextToSpeech.class);
            assertThat(Voice.of(context.getBean(Irisx.class).tenant("acme")).speechUrl(say("Hello."))).isEmpty();
        });
    }

    @Test
    void bad_text_to_speech_properties_are_refused_under_their_names_and_secrets_never_shown() throws Exception {
        try (MockWebServer openai = new MockWebServer(); MockWebServer elevenlabs = new MockWebServer()) {
            openai.start();
            elevenlabs.start();
            assertRefused(runner(openai, elevenlabs).withPropertyValues("irisx.voice.tts.order=openai, polly"),
                    "irisx.voice.tts.order", "polly", "not configured");
            assertRefused(runner(openai, elevenlabs).withPropertyValues("irisx.voice.tts.order=openai, azure"),
                    "irisx.voice.tts.order", "'azure'");
            assertRefused(runner(openai, elevenlabs).withPropertyValues("irisx.voice.tts.audio-url="),
                    "irisx.voice.tts.audio-url", "is required");
            assertRefused(runner(openai, elevenlabs).withPropertyValues(
                    "irisx.voice.tts.audio-url=http://media.acme.example/tts/"), "irisx.voice.tts.audio-url", "https");
            assertRefused(runner(openai, elevenlabs).withPropertyValues("irisx.voice.tts.cache-max-size=10KB"),
                    "irisx.voice.tts.cache-max-size", "1 MiB");
            assertRefused(runner(openai, elevenlabs).withPropertyValues("irisx.voice.tts.elevenlabs.voice="),
                    "irisx.voice.tts.elevenlabs.voice", "is required");
            assertRefused(runner(openai, elevenlabs).withPropertyValues("irisx.voice.tts.format=ogg"),
                    "irisx.voice.tts.format", "mp3, wav");
            String shortKey = Base64.getEncoder().encodeToString("short-secret-key".getBytes());
            runner(openai, elevenlabs).withPropertyValues("irisx.voice.tts.hash-key=" + shortKey).run(context -> {
                IrisxPropertyException failure = propertyFailure(context);
                assertThat(failure.property()).isEqualTo("irisx.voice.tts.hash-key");
                assertThat(failure.getMessage()).contains("32 bytes").doesNotContain(shortKey, "short-secret-key");
            });
        }
    }

    private static void assertRefused(ApplicationContextRunner runner, String property, String... messageParts) {
        runner.run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo(property);
            assertThat(failure.getMessage()).contains(messageParts);
        });
    }
}
