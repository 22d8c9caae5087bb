package io.irisx.webhooks.signing;

import java.nio.charset.StandardCharsets;

/**
 * The content a Standard Webhooks signature covers, {@code id.timestamp.body}; stateless. Only the head
 * {@code id.timestamp.} is built: signers feed it and then the body itself, so the body is never copied.
 */
final class SignedContent {

    private SignedContent() {
    }

    /** {@code id.timestamp.} in UTF-8. */
    static byte[] head(String id, String timestamp) {
        return (id + '.' + timestamp + '.').getBytes(StandardCharsets.UTF_8);
    }
}
