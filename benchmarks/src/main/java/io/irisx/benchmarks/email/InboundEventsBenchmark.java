package io.irisx.benchmarks.email;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.secret.SealingKeys;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.mailgun.MailgunEvents;
import io.irisx.messaging.email.resend.ResendEvents;
import io.irisx.messaging.email.sendgrid.SendGridEvents;
import io.irisx.messaging.email.ses.SesEvents;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inbound provider events per second through each provider's handler, beside the limit: the bare signature check of
 * the same request with the JDK alone (ECDSA P-256 for SendGrid, HMAC-SHA256 for Mailgun and Resend, SHA256withRSA
 * for SES through SNS, the certificate parsed once).
 *
 * <p>Each handler takes the whole path of a request: its checks (method, timestamp, signature; Mailgun's one-time
 * token noted in the database; SES's certificate from the handler's cache), the parse of the body, and the lookup of
 * the email it names, on an in-memory H2. The emails named are not the tenant's, so each request is answered 200 and
 * changes no status, as for a provider's report of another system's email: the figure is the verification and parse
 * path, not the status change. SendGrid, Resend and SES requests are signed once at set-up and sent again (they carry
 * no one-time token); each Mailgun request has its own token, signed before each iteration. One instance per
 * benchmark.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class InboundEventsBenchmark {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-events";
    private static final String CERT_URL =
            "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem";
    private static final String MAILGUN_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    private static final String RESEND_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** More Mailgun requests than an iteration takes, each with its own token. */
    private static final int MAILGUN_REQUESTS = 60_000;

    private Irisx irisx;
    private Path keystoreDir;
    private SendGridEvents sendGrid;
    private MailgunEvents mailgun;
    private ResendEvents resend;
    private SesEvents ses;
    private KeyPair sendGridKeys;
    private PublicKey snsKey;
    private PrivateKey privateKey;
    private CallbackRequest sendGridRequest;
    private CallbackRequest resendRequest;
    private CallbackRequest sesRequest;
    private String sendGridTimestamp;
    private String sendGridBody;
    private String sendGridSignature;
    private String resendSigned;
    private String resendSignature;
    private String sesToSign;
    private byte[] sesSignature;
    private final List<CallbackRequest> mailgunRequests = new ArrayList<>();
    private final List<String[]> mailgunSigned = new ArrayList<>();
    private int nextMailgun;
    private int nextMailgunBare;

    /** Builds the handlers and signs the requests, checking that each handler accepts its request. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        irisx = Irisx.builder()
                .jdbcUrl("jdbc:h2:mem:inbound-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;"
                        + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", null, null)
                .sealingKeys(SealingKeys.generate("k1"))
                .install(EmailModule.builder().sendOnly().build())
                .build();
        Tenant tenant = irisx.tenant("acme");
        String now = Long.toString(Instant.now().getEpochSecond());

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        sendGridKeys = ec.generateKeyPair();
        sendGrid = SendGridEvents.builder(tenant,
                Base64.getEncoder().encodeToString(sendGridKeys.getPublic().getEncoded())).build();
        sendGridTimestamp = now;
        sendGridBody = "[{\"email\":\"ada@example.com\",\"timestamp\":" + now + ",\"event\":\"delivered\","
                + "\"sg_event_id\":\"ZGVsaXZlcmVk\",\"sg_message_id\":\"14c5d75ce93.filter0001.16648.5515E0B88.0\","
                + "\"response\":\"250 OK\"}]";
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(sendGridKeys.getPrivate());
        ecdsa.update((sendGridTimestamp + sendGridBody).getBytes(StandardCharsets.UTF_8));
        sendGridSignature = Base64.getEncoder().encodeToString(ecdsa.sign());
        sendGridRequest = post(sendGridBody, SendGridEvents.TIMESTAMP_HEADER, sendGridTimestamp,
                SendGridEvents.SIGNATURE_HEADER, sendGridSignature);

        mailgun = MailgunEvents.builder(tenant, MAILGUN_KEY).build();

        resend = ResendEvents.builder(tenant, RESEND_SECRET).build();
        String resendBody = "{\"type\":\"email.delivered\",\"created_at\":\"2030-01-01T00:00:05.000Z\",\"data\":"
                + "{\"email_id\":\"4ef9a417-02e9-4d39-ad75-9611e0fcc33c\",\"to\":[\"ada@example.com\"],"
                + "\"from\":\"Acme <billing@acme.example>\",\"subject\":\"Your receipt\"}}";
        String resendId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        resendSigned = resendId + "." + now + "." + resendBody;
        resendSignature = "v1," + Base64.getEncoder().encodeToString(hmac(resendKey(), resendSigned));
        resendRequest = post(resendBody, "svix-id", resendId, "svix-timestamp", now, "svix-signature",
                resendSignature);

        keystoreDir = Files.createTempDirectory("irisx-sns");
        Certificate certificate = selfSigned(keystoreDir);
        snsKey = certificate.getPublicKey();
        byte[] pem = ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(
                certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        ses = SesEvents.builder(tenant).topicArn(TOPIC).fetcher(url -> {
            if (!url.equals(URI.create(CERT_URL))) {
                throw new IOException("no such certificate: " + url);
            }
            return pem.clone();
        }).build();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Type", "Notification");
        fields.put("MessageId", UUID.randomUUID().toString());
        fields.put("TopicArn", TOPIC);
        fields.put("Message", "{\"eventType\":\"Delivery\",\"mail\":{\"timestamp\":\"" + Instant.now() + "\","
                + "\"source\":\"billing@acme.example\",\"messageId\":\"0102018c1a2b3c4d-5e6f7a8b-1111-2222-3333-"
                + "444455556666-000000\",\"destination\":[\"ada@example.com\"]},\"delivery\":{\"timestamp\":\""
                + Instant.now() + "\",\"recipients\":[\"ada@example.com\"],\"smtpResponse\":\"250 OK\"}}");
        fields.put("Timestamp", Instant.now().toString());
        fields.put("SigningCertURL", CERT_URL);
        fields.put("UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe");
        StringBuilder toSign = new StringBuilder();
        for (String name : List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")) {
            if (fields.containsKey(name)) {
                toSign.append(name).append('\n').append(fields.get(name)).append('\n');
            }
        }
        sesToSign = toSign.toString();
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(privateKey);
        rsa.update(sesToSign.getBytes(StandardCharsets.UTF_8));
        sesSignature = rsa.sign();
        fields.put("SignatureVersion", "2");
        fields.put("Signature", Base64.getEncoder().encodeToString(sesSignature));
        sesRequest = post(new ObjectMapper().writeValueAsString(fields), "x-amz-sns-message-type", "Notification");

        signMailgun();
        for (CallbackResponse response : List.of(sendGrid.handle(sendGridRequest), resend.handle(resendRequest),
                ses.handle(sesRequest), mailgun.handle(mailgunRequests.get(0)))) {
            if (response.status() != 200) {
                throw new IllegalStateException("a handler refused its request: " + response.status() + " "
                        + response.bodyText());
            }
        }
        if (!sendGridBare() || !resendBare() || !sesBare() || !mailgunBare()) {
            throw new IllegalStateException("a bare check refused its request");
        }
    }


    /** A self-signed RSA certificate made by the JDK's keytool, its private key kept for signing. */
    private Certificate selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("sns.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "sns", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=sns.amazonaws.com", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        privateKey = (PrivateKey) keys.getKey("sns", "changeit".toCharArray());
        return keys.getCertificate("sns");
    }

    /** Signs a fresh Mailgun request for each of the next iteration's invocations, each with its own token. */
    @Setup(Level.Iteration)
    public void signMailgun() throws GeneralSecurityException {
        mailgunRequests.clear();
        mailgunSigned.clear();
        nextMailgun = 0;
        nextMailgunBare = 0;
        String now = Long.toString(Instant.now().getEpochSecond());
        for (int i = 0; i < MAILGUN_REQUESTS; i++) {
            String token = UUID.randomUUID().toString().replace("-", "") + Integer.toHexString(i);
            String signature = HexFormat.of().formatHex(hmac(MAILGUN_KEY.getBytes(StandardCharsets.UTF_8),
                    now + token));
            String body = "{\"signature\":{\"token\":\"" + token + "\",\"timestamp\":\"" + now + "\",\"signature\":\""
                    + signature + "\"},\"event-data\":{\"id\":\"CPgfbmQMTCKtHW6uIWtuVe" + i + "\",\"timestamp\":"
                    + now + ".908181,\"event\":\"delivered\",\"message\":{\"headers\":{\"message-id\":"
                    + "\"20300101000000.1.ABCDEF@sandbox.mailgun.org\"}},\"recipient\":\"ada@example.com\","
                    + "\"delivery-status\":{\"code\":250,\"message\":\"OK\"}}}";
            mailgunRequests.add(post(body));
            mailgunSigned.add(new String[] {now + token, signature});
        }
    }

    /** Closes the runtime and removes the key store. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        irisx.close();
        try (var files = Files.list(keystoreDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(keystoreDir);
    }

    private static CallbackRequest post(String body, String... headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put("Content-Type", List.of("application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return new CallbackRequest("POST", "/hooks/email", map, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] resendKey() {
        return Base64.getDecoder().decode(RESEND_SECRET.substring("whsec_".length()));
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SendGrid's Event Webhook request through {@link SendGridEvents}. */
    @Benchmark
    public int sendGridHandler() {
        return sendGrid.handle(sendGridRequest).status();
    }

    /** The limit: the ECDSA P-256 check of the same timestamp and body. */
    @Benchmark
    public boolean sendGridBare() throws GeneralSecurityException {
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initVerify(sendGridKeys.getPublic());
        ecdsa.update((sendGridTimestamp + sendGridBody).getBytes(StandardCharsets.UTF_8));
        return ecdsa.verify(Base64.getDecoder().decode(sendGridSignature));
    }

    /** A Mailgun webhook request, each with its own token, through {@link MailgunEvents}. */
    @Benchmark
    public int mailgunHandler() {
        return mailgun.handle(mailgunRequests.get(nextMailgun++ % MAILGUN_REQUESTS)).status();
    }

    /** The limit: the HMAC-SHA256 of timestamp and token, compared in constant time. */
    @Benchmark
    public boolean mailgunBare() throws GeneralSecurityException {
        String[] signed = mailgunSigned.get(nextMailgunBare++ % MAILGUN_REQUESTS);
        byte[] expected = hmac(MAILGUN_KEY.getBytes(StandardCharsets.UTF_8), signed[0]);
        return MessageDigest.isEqual(HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII),
                signed[1].getBytes(StandardCharsets.US_ASCII));
    }

    /** Resend's Standard Webhooks request through {@link ResendEvents}. */
    @Benchmark
    public int resendHandler() {
        return resend.handle(resendRequest).status();
    }

    /** The limit: the HMAC-SHA256 of id, timestamp and body, Base64, compared in constant time. */
    @Benchmark
    public boolean resendBare() throws GeneralSecurityException {
        String expected = "v1," + Base64.getEncoder().encodeToString(hmac(resendKey(), resendSigned));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                resendSignature.getBytes(StandardCharsets.US_ASCII));
    }

    /** An SNS notification of an SES event through {@link SesEvents}. */
    @Benchmark
    public int sesHandler() {
        return ses.handle(sesRequest).status();
    }

    /** The limit: the SHA256withRSA check of the notification's string to sign. */
    @Benchmark
    public boolean sesBare() throws GeneralSecurityException {
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(snsKey);
        rsa.update(sesToSign.getBytes(StandardCharsets.UTF_8));
        return rsa.verify(sesSignature);
    }
}
