package io.irisx.messaging.email.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Signs a MIME message with DKIM (RFC 6376, https://www.rfc-editor.org/rfc/rfc6376), with {@code rsa-sha256} or
 * {@code ed25519-sha256} (RFC 8463, https://www.rfc-editor.org/rfc/rfc8463) and relaxed/relaxed canonicalization;
 * immutable and thread-safe. Not API: hosts configure it through {@code SmtpProvider}'s builder.
 *
 * <p>Written on the JDK's own crypto rather than a library: the one maintained Jakarta Mail DKIM library,
 * {@code org.simplejavamail:utils-mail-dkim}, signs through a {@code MimeMessage} subclass of its own (which would
 * replace the message that keeps IRISX's {@code Message-ID}), shares one {@code Signature} between calls (so a signer
 * is not thread-safe), looks the key up in DNS before signing by default, hashes the body after decoding it as a
 * string, and needs Bouncy Castle for Ed25519, which the JDK has had since 15.
 *
 * <p>The signature covers the configured header names that the message has, each instance of a name (listed in
 * {@code h=} once per instance, taken from the bottom up as RFC 6376 §5.4.2 says), and the whole body ({@code l=} is
 * not used). {@code t=} is the time given; no {@code x=} is set. The {@code DKIM-Signature} field is put above the
 * message's first header, folded at 78 characters.
 */
public final class DkimSigner {

    /** The {@code a=} of RSA keys. */
    public static final String RSA_SHA256 = "rsa-sha256";
    /** The {@code a=} of Ed25519 keys. */
    public static final String ED25519_SHA256 = "ed25519-sha256";
    /** The fewest bits an RSA key may have: RFC 8301 §3.2 has verifiers refuse shorter ones. */
    public static final int MIN_RSA_BITS = 1024;

    private static final String FIELD_NAME = "DKIM-Signature";
    private static final int LINE = 78;
    private static final byte[] CRLF = {'\r', '\n'};

    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private final String algorithm;
    private final List<String> headers;

    /**
     * A signer for {@code d=domain}, {@code s=selector}, with {@code key}, covering the header names given (each once,
     * checked by the caller) where the message has them.
     *
     * @throws IllegalArgumentException when the key is neither RSA of at least 1024 bits nor Ed25519, or the JDK
     *     refuses to sign with it
     */
    public DkimSigner(String domain, String selector, PrivateKey key, List<String> headers) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.key = Objects.requireNonNull(key, "key");
        this.algorithm = algorithm(key);
        this.headers = List.copyOf(headers);
        try {
            signatureFor(algorithm).initSign(key);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the DKIM key cannot sign " + algorithm + ": " + e.getMessage());
        }
    }

    /**
     * The {@code a=} value for {@code key}: {@value #RSA_SHA256} or {@value #ED25519_SHA256}.
     *
     * @throws IllegalArgumentException for any other key, or an RSA key shorter than 1024 bits
     */
    public static String algorithm(PrivateKey key) {
        if (key instanceof RSAPrivateKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new IllegalArgumentException("the DKIM key is RSA of " + bits + " bits; receivers refuse keys"
                        + " shorter than " + MIN_RSA_BITS + " bits (RFC 8301): use 2048 bits");
            }
            return RSA_SHA256;
        }
        if (key instanceof EdECPrivateKey ed && ed.getParams().getName().equalsIgnoreCase("Ed25519")) {
            return ED25519_SHA256;
        }
        throw new IllegalArgumentException("the DKIM key must be an RSA or Ed25519 private key, was "
                + key.getAlgorithm());
    }

    /** The {@code a=} value this signer writes. */
    public String algorithm() {
        return algorithm;
    }

    /**
     * {@code message} with its line ends made CRLF, as SMTP sends them, and a {@code DKIM-Signature} field above its
     * headers. Jakarta Mail writes a 7bit or 8bit body's bare line feeds as they are and its SMTP transport turns them
     * into CRLF on the wire; a signature over the bytes before that would not match what the receiver gets.
     *
     * @param message the message, lines ending in CRLF, CR or LF
     * @param time the signature's {@code t=}
     * @throws IllegalArgumentException when the message has no {@code From} field
     */
    public byte[] sign(byte[] message, Instant time) {
        message = crlf(message);
        byte[] field = field(message, time).getBytes(StandardCharsets.ISO_8859_1);
        byte[] signed = new byte[field.length + message.length];
        System.arraycopy(field, 0, signed, 0, field.length);
        System.arraycopy(message, 0, signed, field.length, message.length);
        return signed;
    }

    /** The {@code DKIM-Signature} field for {@code message}, lines ending in CRLF; folded and ending in CRLF. */
    String field(byte[] message, Instant time) {
        Parsed parsed = parse(message);
        Map<String, Integer> counts = new HashMap<>();
        parsed.fields.forEach(f -> counts.merge(f.name.toLowerCase(Locale.ROOT), 1, Integer::sum));
        if (!counts.containsKey("from")) {
            throw new IllegalArgumentException("the message has no From header field, which DKIM must sign");
        }
        List<String> signed = new ArrayList<>();
        for (String name : headers) {
            for (int i = counts.getOrDefault(name.toLowerCase(Locale.ROOT), 0); i > 0; i--) {
                signed.add(name);
            }
        }
        Folder folder = new Folder(FIELD_NAME + ":");
        folder.add(" ", "v=1;").add(" ", "a=" + algorithm + ";").add(" ", "c=relaxed/relaxed;")
                .add(" ", "d=" + domain + ";").add(" ", "s=" + selector + ";")
                .add(" ", "t=" + time.getEpochSecond() + ";");
        for (int i = 0; i < signed.size(); i++) {
            String name = signed.get(i) + (i + 1 < signed.size() ? ":" : ";");
            folder.add(i == 0 ? " " : "", i == 0 ? "h=" + name : name);
        }
        folder.add(" ", "bh=" + bodyHash(message, parsed.bodyStart) + ";").add(" ", "b=");
        String unsigned = folder.text();
        String b = signature(headerData(parsed.fields, signed, unsigned), algorithm, key);
        return folder.addRun(b).text() + "\r\n";
    }

    /** The base64 SHA-256 of the relaxed body of {@code message}, which starts at {@code bodyStart}. */
    static String bodyHash(byte[] message, int bodyStart) {
        MessageDigest sha256 = sha256();
        DkimCanonicalization.relaxedBody(message, bodyStart,
                new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
        return Base64.getEncoder().encodeToString(sha256.digest());
    }

    /**
     * What the signature is computed over (RFC 6376 §3.7): the relaxed form of each field named in {@code signed},
     * each followed by CRLF (a name listed again takes the next instance up, and one with no instance left adds
     * nothing), then the relaxed {@code DKIM-Signature} field with an empty {@code b=} and no CRLF.
     */
    static byte[] headerData(List<HeaderField> fields, List<String> signed, String signatureField) {
        StringBuilder data = new StringBuilder();
        Map<String, Integer> used = new HashMap<>();
        for (String name : signed) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            int skip = used.merge(lower, 1, Integer::sum) - 1;
            for (int i = fields.size() - 1; i >= 0; i--) {
                if (fields.get(i).name.equalsIgnoreCase(lower) && skip-- == 0) {
                    data.append(DkimCanonicalization.relaxedHeader(fields.get(i).raw)).append("\r\n");
                    break;
                }
            }
        }
        data.append(DkimCanonicalization.relaxedHeader(signatureField));
        return data.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The base64 {@code b=} over {@code data}: RSASSA-PKCS1-v1_5 with SHA-256 for {@code rsa-sha256}; for
     * {@code ed25519-sha256}, PureEdDSA over the SHA-256 of the data (RFC 8463 §3).
     */
    static String signature(byte[] data, String algorithm, PrivateKey key) {
        try {
            Signature signature = signatureFor(algorithm);
            signature.initSign(key);
            signature.update(algorithm.equals(ED25519_SHA256) ? sha256().digest(data) : data);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            // The key was tried at construction; the JDK has both algorithms since 15.
            throw new IllegalStateException("DKIM signing with " + algorithm + " failed: " + e, e);
        }
    }

    private static Signature signatureFor(String algorithm) {
        try {
            return Signature.getInstance(algorithm.equals(ED25519_SHA256) ? "Ed25519" : "SHA256withRSA");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM cannot sign " + algorithm + ": " + e, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The header fields of {@code message}, top to bottom, and where its body starts (after the empty line). */
    static Parsed parse(byte[] message) {
        List<HeaderField> fields = new ArrayList<>();
        int start = 0;
        StringBuilder current = null;
        while (start < message.length) {
            int end = indexOfCrlf(message, start);
            if (end == start) {
                start += 2;
                break; // the empty line between the header and the body
            }
            String line = new String(message, start, end - start, StandardCharsets.ISO_8859_1);
            if (current != null && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) {
                    fields.add(HeaderField.of(current.toString()));
                }
                current = new StringBuilder(line);
            }
            start = Math.min(message.length, end + 2);
        }
        if (current != null) {
            fields.add(HeaderField.of(current.toString()));
        }
        return new Parsed(List.copyOf(fields), Math.min(start, message.length));
    }

    /**
     * {@code message} with each CR, LF and CRLF written as CRLF, as Jakarta Mail's SMTP transport sends it (its
     * {@code CRLFOutputStream}); the same array when it has no other line end.
     */
    static byte[] crlf(byte[] message) {
        int extra = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\r' && i + 1 < message.length && message[i + 1] == '\n') {
                i++;
            } else if (message[i] == '\r' || message[i] == '\n') {
                extra++;
            }
        }
        if (extra == 0) {
            return message;
        }
        byte[] out = new byte[message.length + extra];
        int o = 0;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\r' || b == '\n') {
                out[o++] = '\r';
                out[o++] = '\n';
                if (b == '\r' && i + 1 < message.length && message[i + 1] == '\n') {
                    i++;
                }
            } else {
                out[o++] = b;
            }
        }
        return out;
    }

    private static int indexOfCrlf(byte[] message, int from) {
        for (int i = from; i + 1 < message.length; i++) {
            if (message[i] == CRLF[0] && message[i + 1] == CRLF[1]) {
                return i;
            }
        }
        return message.length;
    }

    /** A header field: its name, and the whole field as it is in the message, folding included, without its CRLF. */
    record HeaderField(String name, String raw) {
        static HeaderField of(String raw) {
            int colon = raw.indexOf(':');
            return new HeaderField((colon < 0 ? raw : raw.substring(0, colon)).strip(), raw);
        }
    }

    /** A message's header fields and where its body starts. */
    record Parsed(List<HeaderField> fields, int bodyStart) {
    }

    /** Builds a folded header field: a line break goes before a token that would pass 78 characters. */
    private static final class Folder {
        private final StringBuilder text;
        private int lineLength;

        Folder(String start) {
            this.text = new StringBuilder(start);
            this.lineLength = start.length();
        }

        /** Adds {@code token}, after {@code separator} on the same line, or on a new line when it would not fit. */
        Folder add(String separator, String token) {
            if (lineLength + separator.length() + token.length() > LINE) {
                text.append("\r\n ");
                lineLength = 1;
            } else {
                text.append(separator);
                lineLength += separator.length();
            }
            text.append(token);
            lineLength += token.length();
            return this;
        }

        /** Adds {@code run}, breaking it anywhere to fill each line (for {@code b=}, where white space is ignored). */
        Folder addRun(String run) {
            int at = 0;
            while (at < run.length()) {
                if (lineLength >= LINE) {
                    text.append("\r\n ");
                    lineLength = 1;
                }
                int take = Math.min(run.length() - at, LINE - lineLength);
                text.append(run, at, at + take);
                lineLength += take;
                at += take;
            }
            return this;
        }

        String text() {
            return text.toString();
        }
    }
}
