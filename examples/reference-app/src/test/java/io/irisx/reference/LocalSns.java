package io.irisx.reference;

import io.irisx.messaging.email.ses.SesEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Amazon SNS's side of the app's https subscription, for tests: an RSA key with a self-signed certificate made by the
 * JDK's keytool, served at {@link #CERT_URL} by the {@link SesEvents.Fetcher} the tests give the app (the app cannot
 * reach {@code sns.<region>.amazonaws.com} from a test), and messages signed as SNS signs them: SHA256withRSA
 * ({@code SignatureVersion} 2) over, for a {@code Notification}, the {@code Message}, {@code MessageId},
 * {@code Subject} (when present), {@code Timestamp}, {@code TopicArn} and {@code Type}, each as its name, a newline,
 * its value and a newline (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html). Thread-safe.
 */
final class LocalSns implements SesEvents.Fetcher {

    static final String TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:ses-events";
    static final String CERT_URL =
            "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem";
    private static final List<String> NOTIFICATION_FIELDS =
            List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");

    private final PrivateKey key;
    private final byte[] certificatePem;

    LocalSns() {
        try {
            Path dir = Files.createTempDirectory("local-sns");
            Path store = dir.resolve("sns.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA", "-validity", "30",
                    "-alias", "sns", "-dname", "CN=sns.amazonaws.com", "-storetype", "PKCS12", "-keystore",
                    store.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, "changeit".toCharArray());
            }
            key = (PrivateKey) keys.getKey("sns", "changeit".toCharArray());
            Certificate certificate = keys.getCertificate("sns");
            certificatePem = ("-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Serves this key's certificate at {@link #CERT_URL}; any other URL is a 404, as SNS would answer. */
    @Override
    public byte[] fetch(URI url) throws IOException {
        if (!url.toString().equals(CERT_URL)) {
            throw new IOException(url + " answered HTTP 404");
        }
        return certificatePem.clone();
    }

    /** {@code fields} with {@code SignatureVersion} 2, the {@code SigningCertURL} and this key's {@code Signature}. */
    Map<String, String> sign(Map<String, String> fields) {
        StringBuilder toSign = new StringBuilder();
        for (String name : NOTIFICATION_FIELDS) {
            if (fields.containsKey(name)) {
                toSign.append(name).append('\n').append(fields.get(name)).append('\n');
            }
        }
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
            Map<String, String> signed = new LinkedHashMap<>(fields);
            signed.put("SignatureVersion", "2");
            signed.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
            signed.put("SigningCertURL", CERT_URL);
            return signed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
