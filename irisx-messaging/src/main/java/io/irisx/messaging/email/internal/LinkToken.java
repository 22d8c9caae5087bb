package io.irisx.messaging.email.internal;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What one unsubscribe, open or click link names, and its token: the link's part after {@code /u/}, {@code /o/} or
 * {@code /c/}. A token is the unpadded base64url of
 *
 * <pre>
 *   version (1 byte, 1) · purpose (1 byte: 'u', 'o' or 'c') · tenant id (1 length byte, ASCII) ·
 *   message id (1 length byte, ASCII) · recipient (1 byte: its position among the email's To, Cc and Bcc) ·
 *   link (2 bytes, big-endian: its position in the HTML body; clicks only) ·
 *   HMAC-SHA256 of all the bytes before it (32 bytes), under the tenant's {@link LinkKeys key}
 * </pre>
 *
 * <p>so that it names the tenant it belongs to (a recipient's request does not know it) and nothing in it can be
 * changed without the tenant's key; the recipient's address is not in it, only its position. The signature is
 * compared in constant time. Immutable. Not API.
 *
 * @param purpose what the link does
 * @param tenant the tenant whose email it is
 * @param message the email
 * @param recipient the recipient's position among the email's recipients (To, then Cc, then Bcc)
 * @param link the link's position in the HTML body, for a click; 0 otherwise
 */
public record LinkToken(Purpose purpose, TenantId tenant, MessageId message, int recipient, int link) {

    /** The longest token {@link #verify} reads; a real one is about 100 characters. */
    public static final int MAX_LENGTH = 512;

    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");
    // A Mac is not thread-safe, and getInstance costs more than one signature: each thread keeps one.
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(LinkToken::newMac);

    /** What a link does, and the letter of its path and of its token. */
    public enum Purpose {
        /** Unsubscribes the recipient from the email's stream. */
        UNSUBSCRIBE('u'),
        /** Counts an open: the tracking pixel. */
        OPEN('o'),
        /** Counts a click and redirects to the link. */
        CLICK('c');

        private final char letter;

        Purpose(char letter) {
            this.letter = letter;
        }

        /** The letter of its path ({@code /u/}, {@code /o/}, {@code /c/}) and of its token. */
        public char letter() {
            return letter;
        }

        /** The purpose of {@code letter}, if one has it. */
        public static Optional<Purpose> of(char letter) {
            return Arrays.stream(values()).filter(p -> p.letter == letter).findFirst();
        }
    }

    /** Checks the positions: a recipient of 0-255, a link of 0-65535 for a click and 0 otherwise. */
    public LinkToken {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(message, "message");
        if (recipient < 0 || recipient > 0xff) {
            throw new IllegalArgumentException("recipient must be a position of 0-255, was " + recipient);
        }
        if (link < 0 || link > 0xffff || (purpose != Purpose.CLICK && link != 0)) {
            throw new IllegalArgumentException("link must be a position of 0-65535 for a click, 0 otherwise, was "
                    + link);
        }
    }

    /** This token's text, signed with {@code tenant}'s key from {@code keys} (made now if the tenant has none). */
    public String sign(LinkKeys keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        out.write(VERSION);
        out.write(purpose.letter);
        writeAscii(out, tenant.value());
        writeAscii(out, message.value());
        out.write(recipient);
        if (purpose == Purpose.CLICK) {
            out.write(link >>> 8);
            out.write(link & 0xff);
        }
        byte[] body = out.toByteArray();
        out.writeBytes(mac(keys.signing(tenant), body, body.length));
        return ENCODER.encodeToString(out.toByteArray());
    }

    /**
     * What {@code text} names, when it is a token of {@code purpose} whose signature its tenant's key confirms;
     * empty for anything else: malformed, altered, of another purpose, or of a tenant that signed none.
     */
    public static Optional<LinkToken> verify(String text, Purpose purpose, LinkKeys keys) {
        if (text == null || !TOKEN.matcher(text).matches()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // The decoder ignores stray bits in the last character: one token has one text.
        if (!ENCODER.encodeToString(bytes).equals(text)) {
            return Optional.empty();
        }
        Optional<LinkToken> parsed = parse(bytes, purpose);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> key = keys.verifying(parsed.get().tenant());
        int signed = bytes.length - MAC_BYTES;
        if (key.isEmpty() || !MessageDigest.isEqual(mac(key.get(), bytes, signed),
                Arrays.copyOfRange(bytes, signed, bytes.length))) {
            return Optional.empty();
        }
        return parsed;
    }

    private static Optional<LinkToken> parse(byte[] bytes, Purpose purpose) {
        int fixed = 2 + 1 + 1 + 1 + (purpose == Purpose.CLICK ? 2 : 0) + MAC_BYTES;
        if (bytes.length < fixed || bytes[0] != VERSION || bytes[1] != purpose.letter) {
            return Optional.empty();
        }
        int at = 2;
        int tenantLength = bytes[at++] & 0xff;
        if (at + tenantLength + 1 > bytes.length) {
            return Optional.empty();
        }
        String tenant = new String(bytes, at, tenantLength, StandardCharsets.US_ASCII);
        at += tenantLength;
        int messageLength = bytes[at++] & 0xff;
        if (bytes.length != fixed + tenantLength + messageLength) {
            return Optional.empty();
        }
        String message = new String(bytes, at, messageLength, StandardCharsets.US_ASCII);
        at += messageLength;
        int recipient = bytes[at++] & 0xff;
        int link = purpose == Purpose.CLICK ? (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff : 0;
        try {
            return Optional.of(new LinkToken(purpose, TenantId.of(tenant), MessageId.parse(message), recipient,
                    link));
        } catch (IrisxValidationException e) {
            return Optional.empty();
        }
    }

    private static void writeAscii(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] mac(byte[] key, byte[] data, int length) {
        Mac mac = MACS.get();
        try {
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot sign with " + ALGORITHM + ": " + e, e);
        }
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + ": " + e, e);
        }
    }
}
