package io.irisx.voice.tts;

import io.irisx.core.ProviderException;
import io.irisx.voice.tts.internal.Wav;
import io.irisx.voice.tts.spi.TtsProvider;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link TtsProvider} for the chain's tests: it answers each request with the next failure queued, else with audio
 * of the text (one MP3 frame, or 10 samples, per character), and keeps the texts it was asked for. Thread-safe.
 */
public class ScriptedTtsProvider implements TtsProvider {

    private final String name;
    private final int maxCharacters;
    private final ConcurrentLinkedQueue<ProviderException> failures = new ConcurrentLinkedQueue<>();
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public ScriptedTtsProvider(String name, int maxCharacters) {
        this.name = name;
        this.maxCharacters = maxCharacters;
    }

    /** Fails the next request with {@code failure}. */
    public ScriptedTtsProvider failNext(ProviderException failure) {
        failures.add(failure);
        return this;
    }

    /** Fails the next request with a retryable 503. */
    public ScriptedTtsProvider failNextRetryably() {
        return failNext(new ProviderException(name, 503, "req-503", true, "unavailable"));
    }

    /** The texts asked for, in order. */
    public List<String> texts() {
        return List.copyOf(texts);
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxCharacters() {
        return maxCharacters;
    }

    @Override
    public TtsAudio synthesize(String text, String voice, Optional<String> language, AudioFormat format) {
        if (text.length() > maxCharacters) {
            throw new IllegalArgumentException("text must be at most " + maxCharacters + " characters");
        }
        texts.add(text);
        ProviderException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
        byte[] audio = format == AudioFormat.MP3
                ? TestAudio.concat(TestAudio.id3v2(), TestAudio.xingFrame(), TestAudio.frames(text.length(), 0),
                        TestAudio.id3v1())
                : Wav.ofPcm16(TestAudio.pcm16(text.length() * 10, 0), 16_000);
        return new TtsAudio(audio, format, text.length());
    }

    @Override
    public void close() {
        closed = true;
    }
}
