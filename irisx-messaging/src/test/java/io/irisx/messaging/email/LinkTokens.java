package io.irisx.messaging.email;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Forges link tokens as an attacker would, from the layout {@code LinkToken} documents. */
final class LinkTokens {

    private LinkTokens() {
    }

    /** {@code token} naming {@code tenant} and {@code messageId} instead, its other bytes and signature kept. */
    static String splice(String token, String tenant, String messageId) {
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        int tenantLength = bytes[2];
        int messageAt = 3 + tenantLength;
        int messageLength = bytes[messageAt];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, 2);
        write(out, tenant);
        write(out, messageId);
        int rest = messageAt + 1 + messageLength;
        out.writeBytes(Arrays.copyOfRange(bytes, rest, bytes.length));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, String value) {
        byte[] ascii = value.getBytes(StandardCharsets.US_ASCII);
        out.write(ascii.length);
        out.writeBytes(ascii);
    }
}
