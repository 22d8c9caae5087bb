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
     * {@code id.timestamp.} for a webhook to sign.
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
        byte[] head = head(id, Long.toString(timestamp));
        // Checked on the encoded bytes, which is faster than on the chars: a character outside ASCII starts with a
        // byte that is negative as a Java byte, so it fails the first test like a control character or a space.
        for (int i = 0; i < id.length(); i++) {
            byte b = head[i];
            if (b <= ' ' || b == 0x7f || b == '.') {
                throw new IllegalArgumentException("id must be printable ASCII without spaces or '.', was '"
                        + id.replaceAll("\\p{Cntrl}", "?") + "'");
            }
        }
        return head;
    }
}
