package io.irisx.messaging.email;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.messaging.email.ses.SesEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Amazon SNS's side of an https subscription, for tests: an RSA key with a self-signed X.509 certificate for it
 * (written in DER with the JDK alone: no CA, no certificate library), messages signed as SNS signs them, and a
 * {@link SesEvents.Fetcher} that serves the certificates and records every URL asked for. The string to sign is built
 * here from the documentation, independently of IRISX's own check: for a {@code Notification} the {@code Message},
 * {@code MessageId}, {@code Subject} (when present), {@code Timestamp}, {@code TopicArn} and {@code Type}; for a
 * confirmation the {@code Message}, {@code MessageId}, {@code SubscribeURL}, {@code Timestamp}, {@code Token},
 * {@code TopicArn} and {@code Type}; each as its name, a newline, its value and a newline
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html).
 */
final class SnsSigner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NOTIFICATION_FIELDS =
            List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> CONFIRMATION_FIELDS =
            List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");

    final KeyPair keys;
    final byte[] certificatePem;

    private SnsSigner(KeyPair keys, byte[] certificatePem) {
        this.keys = keys;
        this.certificatePem = certificatePem;
    }

    /** A new 2048-bit RSA key, and its certificate for {@code sns.amazonaws.com}, valid between the two instants. */
    static SnsSigner create(Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            return new SnsSigner(keys, pem(selfSigned(keys, "sns.amazonaws.com", notBefore, notAfter)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code fields} with the {@code SignatureVersion} and the {@code Signature} this key makes of them. */
    Map<String, String> sign(Map<String, String> fields, String version) {
        return withSignature(fields, version, signature(keys.getPrivate(), fields, version));
    }

    /** {@code fields} with {@code signature}, right or not. */
    static Map<String, String> withSignature(Map<String, String> fields, String version, String signature) {
        Map<String, String> signed = new LinkedHashMap<>(fields);
        signed.put("SignatureVersion", version);
        signed.put("Signature", signature);
        return signed;
    }

    /** The Base64 signature {@code key} makes of the string to sign of {@code fields}, with version 1 or 2. */
    static String signature(PrivateKey key, Map<String, String> fields, String version) {
        StringBuilder toSign = new StringBuilder();
        List<String> names = "Notification".equals(fields.get("Type")) ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
        for (String name : names) {
            if (fields.containsKey(name)) {
                toSign.append(name).append('\n').append(fields.get(name)).append('\n');
            }
        }
        try {
            Signature signer = Signature.getInstance("1".equals(version) ? "SHA1withRSA" : "SHA256withRSA");
            signer.initSign(key);
            signer.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The POST SNS makes of {@code fields}, as JSON, with its {@code x-amz-sns-*} headers. */
    static CallbackRequest post(Map<String, String> fields) {
        try {
            byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(fields);
            return new CallbackRequest("POST", "/hooks/ses", Map.of(
                    "Content-Type", List.of("text/plain; charset=UTF-8"),
                    "x-amz-sns-message-type", List.of(fields.getOrDefault("Type", "")),
                    "x-amz-sns-message-id", List.of(fields.getOrDefault("MessageId", "")),
                    "x-amz-sns-topic-arn", List.of(fields.getOrDefault("TopicArn", ""))), body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves certificates (and confirmation answers) by URL and records every URL fetched; thread-safe. */
    static final class Fetcher implements SesEvents.Fetcher {
        final Map<URI, byte[]> answers = new ConcurrentHashMap<>();
        final List<URI> fetched = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public byte[] fetch(URI url) throws IOException {
            fetched.add(url);
            if (down) {
                throw new IOException("connect timed out");
            }
            byte[] answer = answers.get(url);
            if (answer == null) {
                throw new IOException(url + " answered HTTP 404");
            }
            return answer;
        }

        List<URI> fetched(String url) {
            return fetched.stream().filter(u -> u.toString().equals(url)).toList();
        }
    }

    // A self-signed X.509 v3 certificate in DER (RFC 5280 section 4.1), signed with SHA256withRSA.

    private static final byte[] SHA256_WITH_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
        0x0d, 0x01, 0x01, 0x0b};
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    static byte[] selfSigned(KeyPair keys, String commonName, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        byte[] algorithm = der(0x30, SHA256_WITH_RSA, new byte[] {0x05, 0x00});
        byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME,
                der(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] validity = der(0x30, time(notBefore), time(notAfter));
        byte[] tbs = der(0x30,
                der(0xa0, der(0x02, new byte[] {0x02})), // version v3
                der(0x02, BigInteger.valueOf(notBefore.toEpochMilli()).toByteArray()),
                algorithm, name, validity, name, keys.getPublic().getEncoded());
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1]; // a leading 0: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return der(0x30, tbs, algorithm, der(0x03, bits));
    }

    private static byte[] time(Instant instant) {
        return der(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] der(int tag, byte[]... contents) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] content : contents) {
            value.writeBytes(content);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            List<Integer> bytes = new ArrayList<>();
            for (int rest = length; rest > 0; rest >>= 8) {
                bytes.add(0, rest & 0xff);
            }
            out.write(0x80 | bytes.size());
            bytes.forEach(out::write);
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    private static byte[] pem(byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
