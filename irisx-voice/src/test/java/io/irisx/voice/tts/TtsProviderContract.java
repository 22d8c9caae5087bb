package io.irisx.voice.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.ProviderException;
import io.irisx.voice.tts.internal.Mp3;
import io.irisx.voice.tts.internal.Wav;
import io.irisx.voice.tts.spi.TtsProvider;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TtsProvider} passes, run against a local server speaking the provider's wire format: a
 * provider's test extends it and says how its server answers speech and each kind of failure.
 */
public abstract class TtsProviderContract {

    /** The provider's API on loopback. */
    protected LocalHttp server;
    private TtsProvider provider;

    /** The provider under test, calling {@code baseUrl}. */
    protected abstract TtsProvider provider(String baseUrl);

    /** A voice the provider knows. */
    protected abstract String voice();

    /** The sample rate of the provider's PCM. */
    protected abstract int pcmSampleRate();

    /** Queues the provider's answer carrying {@code audio} (MP3 bytes or raw PCM samples) for {@code text}. */
    protected abstract void answerSpeech(byte[] audio, boolean mp3, String text);

    /** Queues the provider's answer to a rate-limited request. */
    protected abstract void answerRateLimited();

    /** Queues the provider's answer when it fails on its side. */
    protected abstract void answerServerError();

    /** Queues the provider's answer to an unknown voice. */
    protected abstract void answerUnknownVoice();

    /** Queues the provider's answer to a bad key. */
    protected abstract void answerBadKey();

    @BeforeEach
    void startServer() {
        server = new LocalHttp();
        provider = provider(server.url());
    }

    @AfterEach
    void stopServer() {
        provider.close();
        server.close();
    }

    /** The provider built for this test. */
    protected TtsProvider provider() {
        return provider;
    }

    @Test
    void synthesizesMp3AsTheProviderAnswersIt() {
        byte[] mp3 = TestAudio.frames(3, 1);
        answerSpeech(mp3, true, "Hello there.");

        TtsAudio audio = provider.synthesize("Hello there.", voice(), Optional.empty(), AudioFormat.MP3);

        assertThat(audio.format()).isEqualTo(AudioFormat.MP3);
        assertThat(audio.audio()).isEqualTo(mp3);
        assertThat(Mp3.frames(audio.audio())).hasSize(3);
        assertThat(audio.billedCharacters()).isEqualTo("Hello there.".length());
    }

    @Test
    void synthesizesPcmIntoOneWavFile() {
        byte[] samples = TestAudio.pcm16(800, 0);
        answerSpeech(samples, false, "Hello there.");

        TtsAudio audio = provider.synthesize("Hello there.", voice(), Optional.empty(), AudioFormat.WAV);

        Wav.Pcm pcm = Wav.read(audio.audio());
        assertThat(audio.format()).isEqualTo(AudioFormat.WAV);
        assertThat(pcm.channels()).isEqualTo(1);
        assertThat(pcm.bitsPerSample()).isEqualTo(16);
        assertThat(pcm.sampleRate()).isEqualTo(pcmSampleRate());
        assertThat(pcm.length()).isEqualTo(samples.length);
        assertThat(java.util.Arrays.copyOfRange(audio.audio(), pcm.data(), pcm.data() + pcm.length()))
                .isEqualTo(samples);
    }

    @Test
    void aRateLimitIsRetryable() {
        answerRateLimited();

        assertThatThrownBy(() -> provider.synthesize("Hello.", voice(), Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.provider()).isEqualTo(provider.name());
                });
    }

    @Test
    void aServerErrorIsRetryable() {
        answerServerError();

        assertThatThrownBy(() -> provider.synthesize("Hello.", voice(), Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.statusCode()).isGreaterThanOrEqualTo(500);
                });
    }

    @Test
    void anUnknownVoiceIsPermanent() {
        answerUnknownVoice();

        assertThatThrownBy(() -> provider.synthesize("Hello.", "no-such-voice", Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.statusCode()).isBetween(400, 499);
                });
    }

    @Test
    void aBadKeyIsPermanentAndNeverShown() {
        answerBadKey();

        assertThatThrownBy(() -> provider.synthesize("Hello.", voice(), Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.statusCode()).isIn(401, 403);
                });
        assertThat(provider.toString()).contains("****");
    }

    @Test
    void textOverTheLimitIsRefusedBeforeAnythingIsSent() {
        String text = "a".repeat(provider.maxCharacters() + 1);

        assertThatThrownBy(() -> provider.synthesize(text, voice(), Optional.empty(), AudioFormat.MP3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void itsNameAndSettingsNameWhatShapesItsAudio() {
        assertThat(provider.name()).matches("[a-z0-9-]{1,32}");
        assertThat(provider.settings()).isNotBlank();
        assertThat(provider.maxCharacters()).isBetween(100, 40_000);
    }

    @Test
    void noServerIsARetryableFailureWithoutStatus() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (TtsProvider unreachable = provider("http://127.0.0.1:" + port)) {
            assertThatThrownBy(() -> unreachable.synthesize("Hello.", voice(), Optional.empty(), AudioFormat.MP3))
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.isRetryable()).isTrue();
                        assertThat(e.statusCode()).isZero();
                    });
        }
    }
}
