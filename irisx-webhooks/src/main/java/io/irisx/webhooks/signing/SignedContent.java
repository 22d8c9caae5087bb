package io.irisx.webhooks.signing;

import java.nio.charset.StandardCharsets;

/**
 * The content a Standard Webhooks signature covers, {@code id.timestamp.body}; stateless. Only the head
 * {@code id.timestamp.} is built: signers feed it and then the body itself, so the body is never copied.
 */
final class SignedContent {

    private SignedContent() {
    }

    /** {@code id.timestamp.} in UTF-8, for a received webhook: its header values as they came. */
    static byte[] head(String id, String timestamp) {
        return (id + '.' + timestamp + '.').getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code id.timestamp.} for a webhook to sign, written straight into bytes: signing sits on the delivery path.
     *
     * @throws IllegalArgumentException when the id is empty or not printable ASCII without spaces or {@code .} (a
     *         {@code .} would let one signed content pass for another), or the timestamp is negative
     */
    static byte[] head(String id, long timestamp) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be unix seconds, not negative, was " + timestamp);
        }
        int digits = 1;
        for (long rest = timestamp / 10; rest > 0; rest /= 10) {
            digits++;
        }
        int idLength = id.length();
        byte[] head = new byte[idLength + digits + 2];
        for (int i = 0; i < idLength; i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '.') {
                throw new IllegalArgumentException("id must be printable ASCII without spaces or '.', was '"
                        + id.replaceAll("\\p{Cntrl}", "?") + "'");
            }
            head[i] = (byte) c;
        }
        head[idLength] = '.';
        long rest = timestamp;
        for (int i = idLength + digits; i > idLength; i--) {
            head[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        head[head.length - 1] = '.';
        return head;
    }
}
