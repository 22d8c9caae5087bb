package io.irisx.voice.tts;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Audio built in the tests: valid MPEG-1 layer III frames, ID3 tags, Xing headers, PCM samples. */
public final class TestAudio {

    private TestAudio() {
    }

    /**
     * {@code count} MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz, joint stereo, unpadded (417 bytes each): header
     * {@code FF FB 90 44}, then side information and main data, each frame's bytes after the header filled with
     * {@code fill + index} so frames can be told apart.
     */
    public static byte[] frames(int count, int fill) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] frame = new byte[417];
            frame[0] = (byte) 0xFF;
            frame[1] = (byte) 0xFB; // sync, MPEG-1, layer III, no CRC
            frame[2] = (byte) 0x90; // 128 kbit/s, 44.1 kHz, no padding
            frame[3] = (byte) 0x44; // joint stereo
            java.util.Arrays.fill(frame, 4, frame.length, (byte) (fill + i));
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    /** A Xing header frame (an MPEG-1 stereo frame with {@code Xing} after 32 bytes of side information). */
    public static byte[] xingFrame() {
        byte[] frame = new byte[417];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xFB;
        frame[2] = (byte) 0x90;
        frame[3] = (byte) 0x44;
        System.arraycopy("Xing".getBytes(StandardCharsets.US_ASCII), 0, frame, 4 + 32, 4);
        return frame;
    }

    /** An ID3v2.4 tag with a 20-byte body of zeros (30 bytes). */
    public static byte[] id3v2() {
        byte[] tag = new byte[30];
        System.arraycopy("ID3".getBytes(StandardCharsets.US_ASCII), 0, tag, 0, 3);
        tag[3] = 4;
        tag[9] = 20; // syncsafe size
        return tag;
    }

    /** An ID3v1 tag (128 bytes starting {@code TAG}). */
    public static byte[] id3v1() {
        byte[] tag = new byte[128];
        System.arraycopy("TAG".getBytes(StandardCharsets.US_ASCII), 0, tag, 0, 3);
        return tag;
    }

    /** The concatenation of {@code parts}. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code samples} 16-bit little-endian samples counting up from {@code first}. */
    public static byte[] pcm16(int samples, int first) {
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            pcm.putShort((short) (first + i));
        }
        return pcm.array();
    }
}
