package io.irisx.voice.tts.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MP3 files read frame by frame and joined at frame boundaries: the first part keeps its ID3v2 tag, every part loses
 * its ID3v1 tag and its Xing, Info or VBRI header (a frame of silence whose frame count would misstate the joined
 * length), and only whole MPEG audio frames are kept. Stateless and thread-safe. Not API.
 */
public final class Mp3 {

    private static final int[][] BITRATES = {
            // MPEG-1 layer III, kbit/s by index
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1},
            // MPEG-2 and 2.5 layer III
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1}};
    private static final int[][] SAMPLE_RATES = {
            {44100, 48000, 32000}, // MPEG-1
            {22050, 24000, 16000}, // MPEG-2
            {11025, 12000, 8000}}; // MPEG-2.5

    private Mp3() {
    }

    /**
     * One MPEG audio layer III frame header.
     *
     * @param offset where the frame starts
     * @param length the frame's bytes, header included
     * @param version 1 (MPEG-1), 2 (MPEG-2) or 25 (MPEG-2.5)
     * @param bitrate kbit/s
     * @param sampleRate samples per second
     * @param mono whether the frame has one channel
     * @param crc whether a CRC follows the header
     */
    public record Frame(int offset, int length, int version, int bitrate, int sampleRate, boolean mono, boolean crc) {
    }

    /** The frame header at {@code at} in {@code mp3}, or null when none starts there. */
    public static Frame frameAt(byte[] mp3, int at) {
        if (at + 4 > mp3.length || (mp3[at] & 0xFF) != 0xFF || (mp3[at + 1] & 0xE0) != 0xE0) {
            return null;
        }
        int versionBits = (mp3[at + 1] >> 3) & 3;
        int layerBits = (mp3[at + 1] >> 1) & 3;
        int bitrateIndex = (mp3[at + 2] >> 4) & 0xF;
        int rateIndex = (mp3[at + 2] >> 2) & 3;
        if (versionBits == 1 || layerBits != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return null; // reserved version, not layer III, free or bad bitrate, reserved rate
        }
        int version = versionBits == 3 ? 1 : versionBits == 2 ? 2 : 25;
        int bitrate = BITRATES[version == 1 ? 0 : 1][bitrateIndex];
        int sampleRate = SAMPLE_RATES[version == 1 ? 0 : version == 2 ? 1 : 2][rateIndex];
        int padding = (mp3[at + 2] >> 1) & 1;
        int length = (version == 1 ? 144 : 72) * bitrate * 1000 / sampleRate + padding;
        boolean mono = ((mp3[at + 3] >> 6) & 3) == 3;
        boolean crc = (mp3[at + 1] & 1) == 0;
        return new Frame(at, length, version, bitrate, sampleRate, mono, crc);
    }

    /**
     * The whole frames of {@code mp3}: from the first frame after its ID3v2 tag (or the first whose successor
     * follows where its length says), each where the previous one ends, up to the first byte that starts none or
     * a frame cut short.
     */
    public static List<Frame> frames(byte[] mp3) {
        List<Frame> frames = new ArrayList<>();
        int at = firstFrame(mp3, id3v2Length(mp3));
        while (at >= 0) {
            Frame frame = frameAt(mp3, at);
            if (frame == null || at + frame.length() > mp3.length) {
                break;
            }
            frames.add(frame);
            at += frame.length();
        }
        return frames;
    }

    /** Whether {@code frame} of {@code mp3} is a Xing, Info or VBRI header rather than audio. */
    public static boolean isInfoFrame(byte[] mp3, Frame frame) {
        int sideInfo = frame.version() == 1 ? (frame.mono() ? 17 : 32) : (frame.mono() ? 9 : 17);
        int xing = frame.offset() + 4 + (frame.crc() ? 2 : 0) + sideInfo;
        int vbri = frame.offset() + 4 + 32;
        return tagAt(mp3, xing, "Xing") || tagAt(mp3, xing, "Info") || tagAt(mp3, vbri, "VBRI");
    }

    /**
     * One MP3 file of {@code parts} in order, joined at frame boundaries.
     *
     * @throws IllegalArgumentException when a part holds no MPEG audio layer III frame
     */
    public static byte[] join(List<byte[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(parts.get(0), 0, id3v2Length(parts.get(0)));
        for (int i = 0; i < parts.size(); i++) {
            byte[] part = parts.get(i);
            List<Frame> frames = frames(part);
            if (frames.isEmpty()) {
                throw new IllegalArgumentException("parts[" + i + "] holds no MPEG audio layer III frame");
            }
            for (Frame frame : frames) {
                if (!isInfoFrame(part, frame)) {
                    out.write(part, frame.offset(), frame.length());
                }
            }
        }
        return out.toByteArray();
    }

    /** The bytes of the ID3v2 tag at the start of {@code mp3}, footer included; 0 when it has none. */
    static int id3v2Length(byte[] mp3) {
        if (mp3.length < 10 || !tagAt(mp3, 0, "ID3")) {
            return 0;
        }
        int size = ((mp3[6] & 0x7F) << 21) | ((mp3[7] & 0x7F) << 14) | ((mp3[8] & 0x7F) << 7) | (mp3[9] & 0x7F);
        boolean footer = (mp3[5] & 0x10) != 0;
        return Math.min(mp3.length, 10 + size + (footer ? 10 : 0));
    }

    /** The first offset from {@code from} where a frame starts and the next one follows it (or the data ends). */
    private static int firstFrame(byte[] mp3, int from) {
        for (int at = from; at + 4 <= mp3.length; at++) {
            Frame frame = frameAt(mp3, at);
            if (frame != null) {
                int next = at + frame.length();
                if (next == mp3.length || frameAt(mp3, next) != null || next + 3 <= mp3.length
                        && tagAt(mp3, next, "TAG")) {
                    return at;
                }
            }
        }
        return -1;
    }

    private static boolean tagAt(byte[] bytes, int at, String tag) {
        if (at < 0 || at + tag.length() > bytes.length) {
            return false;
        }
        return new String(bytes, at, tag.length(), StandardCharsets.ISO_8859_1).equals(tag);
    }
}
