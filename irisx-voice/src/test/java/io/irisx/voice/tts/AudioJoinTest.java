package io.irisx.voice.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.irisx.voice.tts.internal.Mp3;
import io.irisx.voice.tts.internal.Wav;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parts of synthesized audio joined into one file: MP3 at frame boundaries, WAV by samples under one header. */
class AudioJoinTest {

    @Test
    void framesAreReadFromTheirHeaders() {
        byte[] mp3 = TestAudio.concat(TestAudio.id3v2(), TestAudio.frames(3, 5), TestAudio.id3v1());

        List<Mp3.Frame> frames = Mp3.frames(mp3);

        assertThat(frames).hasSize(3);
        assertThat(frames.get(0).offset()).isEqualTo(30);
        assertThat(frames).allSatisfy(frame -> {
            assertThat(frame.length()).isEqualTo(417); // 144 * 128000 / 44100
            assertThat(frame.version()).isEqualTo(1);
            assertThat(frame.bitrate()).isEqualTo(128);
            assertThat(frame.sampleRate()).isEqualTo(44_100);
        });
    }

    @Test
    void mp3PartsJoinFrameAlignedWithoutTheLaterPartsTagsAndXingHeaders() {
        byte[] first = TestAudio.concat(TestAudio.id3v2(), TestAudio.xingFrame(), TestAudio.frames(2, 10),
                TestAudio.id3v1());
        byte[] second = TestAudio.concat(TestAudio.id3v2(), TestAudio.xingFrame(), TestAudio.frames(3, 20),
                TestAudio.id3v1());
        // A part cut short in its last frame: the partial frame is dropped.
        byte[] third = TestAudio.concat(TestAudio.frames(1, 30), Arrays.copyOf(TestAudio.frames(1, 40), 100));

        byte[] joined = Mp3.join(List.of(first, second, third));

        List<Mp3.Frame> frames = Mp3.frames(joined);
        assertThat(frames).hasSize(6);
        assertThat(frames.get(0).offset()).isEqualTo(30); // the first part's ID3v2 tag is kept
        assertThat(joined.length).isEqualTo(30 + 6 * 417); // no ID3v1 tag, no Xing frame, no partial frame
        assertThat(frames).noneMatch(frame -> Mp3.isInfoFrame(joined, frame));
        assertThat(frames.stream().map(frame -> joined[frame.offset() + 4]).toList())
                .containsExactly((byte) 10, (byte) 11, (byte) 20, (byte) 21, (byte) 22, (byte) 30);
    }

    @Test
    void anMp3PartWithoutFramesIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Mp3.join(List.of(TestAudio.frames(1, 0),
                new byte[] {1, 2, 3, 4, 5}))).withMessageContaining("parts[1]");
    }

    @Test
    void wavPartsJoinBySamplesUnderOneHeaderWithTheRightSizes() {
        byte[] first = Wav.ofPcm16(TestAudio.pcm16(100, 0), 16_000);
        byte[] second = Wav.ofPcm16(TestAudio.pcm16(50, 100), 16_000);

        byte[] joined = Wav.join(List.of(first, second));

        ByteBuffer header = ByteBuffer.wrap(joined).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(joined.length).isEqualTo(44 + 300);
        assertThat(header.getInt(4)).isEqualTo(36 + 300); // RIFF size
        assertThat(header.getInt(40)).isEqualTo(300); // data size
        assertThat(header.getInt(24)).isEqualTo(16_000);
        assertThat(header.getInt(28)).isEqualTo(32_000); // byte rate
        Wav.Pcm pcm = Wav.read(joined);
        assertThat(pcm.length()).isEqualTo(300);
        for (int i = 0; i < 150; i++) {
            assertThat(header.getShort(44 + 2 * i)).isEqualTo((short) i);
        }
        assertThat(new String(joined, 0, 4)).isEqualTo("RIFF");
        assertThat(new String(joined, 44, 300).contains("RIFF")).isFalse();
    }

    @Test
    void wavPartsOfDifferentRatesAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Wav.join(List.of(
                Wav.ofPcm16(TestAudio.pcm16(10, 0), 16_000), Wav.ofPcm16(TestAudio.pcm16(10, 0), 24_000))))
                .withMessageContaining("parts[1]").withMessageContaining("24000 Hz");
    }

    @Test
    void aWavWithAnUnknownDataSizeIsReadToItsEnd() {
        byte[] wav = Wav.ofPcm16(TestAudio.pcm16(10, 0), 8_000);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(40, -1);

        assertThat(Wav.read(wav).length()).isEqualTo(20);
    }
}
