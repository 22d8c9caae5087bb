package io.irisx.voice.tts.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * WAV (RIFF WAVE) files of PCM audio: one written around raw samples, one read into its format and samples, and
 * several joined into one file whose single header states the right sizes. Stateless and thread-safe. Not API.
 */
public final class Wav {

    private static final int HEADER = 44;

    private Wav() {
    }

    /**
     * The PCM format and samples of a WAV file.
     *
     * @param channels the channels
     * @param sampleRate samples per second
     * @param bitsPerSample bits per sample
     * @param data offset of the samples in the file
     * @param length bytes of samples: whole sample frames only
     */
    public record Pcm(int channels, int sampleRate, int bitsPerSample, int data, int length) {

        /** Bytes of one sample frame (a sample of every channel). */
        public int blockAlign() {
            return channels * bitsPerSample / 8;
        }
    }

    /** A WAV file of {@code samples}, signed 16-bit little-endian mono PCM at {@code sampleRate}. */
    public static byte[] ofPcm16(byte[] samples, int sampleRate) {
        int length = samples.length - samples.length % 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER + length);
        out.writeBytes(header(1, sampleRate, 16, length));
        out.write(samples, 0, length);
        return out.toByteArray();
    }

    /**
     * Reads the {@code fmt } and {@code data} chunks of {@code wav}.
     *
     * @throws IllegalArgumentException when it is not a RIFF WAVE file of integer PCM with a data chunk
     */
    public static Pcm read(byte[] wav) {
        if (wav.length < 12 || !ascii(wav, 0, "RIFF") || !ascii(wav, 8, "WAVE")) {
            throw new IllegalArgumentException("audio must be a RIFF WAVE file, its first bytes are not RIFF…WAVE");
        }
        ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (at + 8 <= wav.length) {
            String id = new String(wav, at, 4, StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(in.getInt(at + 4));
            int body = at + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > wav.length || in.getShort(body) != 1) {
                    throw new IllegalArgumentException("audio must be integer PCM (WAVE format 1)");
                }
                channels = in.getShort(body + 2);
                rate = in.getInt(body + 4);
                bits = in.getShort(body + 14);
            } else if (id.equals("data")) {
                if (channels < 1 || bits < 8 || bits % 8 != 0) {
                    throw new IllegalArgumentException("audio must have its fmt chunk before its data chunk");
                }
                // Providers streaming PCM write 0 or 0xFFFFFFFF as the size they cannot know: read to the end.
                long available = wav.length - body;
                long length = size == 0 || size > available ? available : size;
                int block = channels * bits / 8;
                return new Pcm(channels, rate, bits, body, (int) (length - length % block));
            }
            at = (int) Math.min(wav.length, body + size + (size & 1));
        }
        throw new IllegalArgumentException("audio must be a WAVE file with a data chunk, it has none");
    }

    /**
     * One WAV file holding the samples of {@code parts} in order, under one header.
     *
     * @throws IllegalArgumentException when a part is not PCM WAV, or the parts' formats differ
     */
    public static byte[] join(List<byte[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Pcm first = read(parts.get(0));
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Pcm pcm = read(parts.get(i));
            if (pcm.channels() != first.channels() || pcm.sampleRate() != first.sampleRate()
                    || pcm.bitsPerSample() != first.bitsPerSample()) {
                throw new IllegalArgumentException("parts[" + i + "] is " + describe(pcm) + ", parts[0] "
                        + describe(first) + ": WAV parts must share one format");
            }
            total += pcm.length();
        }
        if (total > Integer.MAX_VALUE - HEADER) {
            throw new IllegalArgumentException("the joined audio would exceed 2 GiB");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER + (int) total);
        out.writeBytes(header(first.channels(), first.sampleRate(), first.bitsPerSample(), (int) total));
        for (byte[] part : parts) {
            Pcm pcm = read(part);
            out.write(part, pcm.data(), pcm.length());
        }
        return out.toByteArray();
    }

    private static byte[] header(int channels, int sampleRate, int bits, int dataLength) {
        int blockAlign = channels * bits / 8;
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataLength)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataLength);
        return header.array();
    }

    private static String describe(Pcm pcm) {
        return pcm.channels() + " channel(s) of " + pcm.bitsPerSample() + "-bit samples at " + pcm.sampleRate() + " Hz";
    }

    private static boolean ascii(byte[] bytes, int at, String text) {
        return new String(bytes, at, 4, StandardCharsets.US_ASCII).equals(text);
    }
}
