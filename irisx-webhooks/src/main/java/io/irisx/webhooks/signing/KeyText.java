package io.irisx.webhooks.signing;

import io.irisx.core.IrisxValidationException;
import java.util.Base64;

/** Reads and describes the text form of webhook keys ({@code <prefix><base64>}); stateless. */
final class KeyText {

    private static final String[] PREFIXES = {WebhookSecret.PREFIX, WebhookKeyPair.PREFIX, WebhookPublicKey.PREFIX};

    private KeyText() {
    }

    /**
     * The bytes of {@code text}, standard base64 after {@code prefix}, padded or not.
     *
     * @param prefixOptional whether text without the prefix is read too (the reference libraries do so for secrets)
     * @throws IrisxValidationException naming {@code field}, with the value redacted, when the text is not that
     */
    static byte[] decode(String field, String text, String prefix, boolean prefixOptional, String kind) {
        String encoded;
        if (text.startsWith(prefix)) {
            encoded = text.substring(prefix.length());
        } else if (prefixOptional && !hasOtherPrefix(text)) {
            encoded = text;
        } else {
            throw new IrisxValidationException(field, redacted(text),
                    "is not " + kind + ": expected '" + prefix + "' followed by base64");
        }
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IrisxValidationException(field, redacted(text),
                    "is not " + kind + ": the text after '" + prefix + "' is not standard base64");
        }
    }

    /** What a message may show of a key's text: its prefix, if it has one, and its length, never its content. */
    static String redacted(String text) {
        for (String prefix : PREFIXES) {
            if (text.startsWith(prefix)) {
                return prefix + "**** (" + text.length() + " characters)";
            }
        }
        return "**** (" + text.length() + " characters)";
    }

    private static boolean hasOtherPrefix(String text) {
        for (String prefix : PREFIXES) {
            if (text.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
