package io.irisx.core.internal;

import io.irisx.core.IrisxValidationException;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Makes and checks the text of IRISX ids: {@code <prefix>_<26 characters>}, the characters being a 48-bit
 * millisecond timestamp then 80 random bits, in lowercase Crockford base32. Ids of one prefix sort by creation
 * time as plain strings; within one millisecond a process increments the random part, so its own ids stay strictly
 * increasing. Thread-safe.
 */
public final class IdCodec {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final byte[] VALUES = new byte[128];
    private static final int BODY_LENGTH = 26;
    private static final long MAX_TIMESTAMP = (1L << 48) - 1;

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
    }

    private static final SecureRandom SEED = new SecureRandom();
    private static final Object LOCK = new Object();
    private static long lastMillis = -1;
    private static long randomHigh; // 16 bits
    private static long randomLow; // 64 bits

    private IdCodec() {
    }

    /** Returns a new id with {@code prefix}. */
    public static String next(String prefix) {
        long millis;
        long high;
        long low;
        synchronized (LOCK) {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                randomHigh = SEED.nextInt() & 0xFFFFL;
                randomLow = SEED.nextLong();
            } else if (++randomLow == 0 && (randomHigh = (randomHigh + 1) & 0xFFFFL) == 0) {
                // 2^80 ids in one millisecond: borrow the next millisecond rather than repeat an id.
                lastMillis++;
            }
            millis = lastMillis;
            high = randomHigh;
            low = randomLow;
        }
        return encode(prefix, millis, high, low);
    }

    static String encode(String prefix, long millis, long high16, long low64) {
        char[] out = new char[prefix.length() + 1 + BODY_LENGTH];
        prefix.getChars(0, prefix.length(), out, 0);
        int p = prefix.length();
        out[p++] = '_';
        for (int i = 9; i >= 0; i--) {
            out[p + i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        p += 10;
        // 80 random bits = 16 characters: the top 16 bits, then 64.
        long bits = high16;
        int end = p + 16;
        for (int i = end - 1; i >= p; i--) {
            out[i] = ALPHABET[(int) (low64 & 31)];
            low64 = (low64 >>> 5) | ((bits & 31) << 59);
            bits >>>= 5;
        }
        return new String(out);
    }

    /**
     * Checks that {@code value} is an id with {@code prefix}; throws {@link IrisxValidationException} naming
     * {@code field} otherwise.
     */
    public static void check(String prefix, String value, String field) {
        if (value == null) {
            throw new IrisxValidationException(field, null, "is required");
        }
        int expected = prefix.length() + 1 + BODY_LENGTH;
        if (value.length() != expected || !value.startsWith(prefix) || value.charAt(prefix.length()) != '_') {
            throw new IrisxValidationException(field, value, "is not an id of the form " + prefix + "_<26 base32 characters>");
        }
        for (int i = prefix.length() + 1; i < expected; i++) {
            char c = value.charAt(i);
            if (c >= 128 || VALUES[c] < 0) {
                throw new IrisxValidationException(field, value,
                        "has '" + c + "' at position " + i + ": ids use lowercase Crockford base32 (0-9, a-z without i, l, o, u)");
            }
        }
        if (VALUES[value.charAt(prefix.length() + 1)] > 7) {
            throw new IrisxValidationException(field, value, "has a timestamp beyond the 48-bit range");
        }
    }

    /** The creation time encoded in a checked id. */
    public static Instant timestamp(String prefix, String value) {
        long millis = 0;
        int start = prefix.length() + 1;
        for (int i = start; i < start + 10; i++) {
            millis = (millis << 5) | VALUES[value.charAt(i)];
        }
        return Instant.ofEpochMilli(millis & MAX_TIMESTAMP);
    }
}
