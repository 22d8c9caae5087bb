package io.irisx.webhooks.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import okio.BufferedSource;

/** Reads the start of a response body as text without ever holding more than the limit. */
public final class ResponseBodies {

    private ResponseBodies() {
    }

    /** At most {@code limit} bytes of {@code source}, as UTF-8, a multi-byte character cut at the end dropped. */
    public static String read(BufferedSource source, int limit) throws IOException {
        Buffer buffer = new Buffer();
        while (buffer.size() < limit) {
            if (source.read(buffer, limit - buffer.size()) == -1) {
                return buffer.readUtf8();
            }
        }
        return decodeTruncated(buffer.readByteArray());
    }

    /** {@code bytes} as UTF-8, less a trailing character whose bytes were cut off. */
    static String decodeTruncated(byte[] bytes) {
        return new String(bytes, 0, completeLength(bytes), StandardCharsets.UTF_8);
    }

    /** The length of {@code bytes} without an incomplete UTF-8 sequence at the end. */
    private static int completeLength(byte[] bytes) {
        // A UTF-8 character is at most 4 bytes: look back over at most 3 continuation bytes for its lead byte.
        int end = bytes.length;
        for (int i = end - 1; i >= 0 && i >= end - 4; i--) {
            int b = bytes[i] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int needed = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return end - i < needed ? i : end;
        }
        return end;
    }
}
