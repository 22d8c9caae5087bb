package io.irisx.benchmarks.webhooks;

import io.irisx.webhooks.signing.WebhookHeaders;
import io.irisx.webhooks.signing.WebhookSecret;
import io.irisx.webhooks.signing.WebhookSigner;
import io.irisx.webhooks.signing.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time to sign a webhook of a 1 KiB body with {@link WebhookSigner}, and to verify it with
 * {@link WebhookVerifier}, beside the least an HMAC-SHA256 signature can cost on this JVM: a raw {@link Mac},
 * initialised with the key once, over the signed content already laid out in one array, then Base64. One instance
 * per benchmark thread.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class SignVerifyBenchmark {

    private static final String ID = "evt_01HZX3K8Q4V5W6Y7Z8A9B0C1D2";
    private static final long TIMESTAMP = 1_700_000_000L;
    private static final int BODY_BYTES = 1024;

    private WebhookSigner signer;
    private WebhookVerifier verifier;
    private WebhookHeaders headers;
    private String timestamp;
    private byte[] body;
    private Mac mac;
    private byte[] content;

    /** Makes the key, the signer, the verifier, one signed webhook and the raw Mac, outside the measurement. */
    @Setup
    public void setUp() throws GeneralSecurityException {
        WebhookSecret secret = WebhookSecret.generate();
        body = new byte[BODY_BYTES];
        new Random(42).nextBytes(body);
        signer = WebhookSigner.of(secret);
        verifier = WebhookVerifier.builder().secret(secret)
                .clock(Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC)).build();
        headers = signer.sign(ID, TIMESTAMP, body);
        timestamp = Long.toString(TIMESTAMP);

        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.reveal().substring(WebhookSecret.PREFIX.length())),
                "HmacSHA256"));
        byte[] head = (ID + "." + TIMESTAMP + ".").getBytes(StandardCharsets.UTF_8);
        content = new byte[head.length + body.length];
        System.arraycopy(head, 0, content, 0, head.length);
        System.arraycopy(body, 0, content, head.length, body.length);
    }

    /** IRISX: the three headers of a webhook of this body. */
    @Benchmark
    public WebhookHeaders irisxSign() {
        return signer.sign(ID, TIMESTAMP, body);
    }

    /** IRISX: verify the headers of that webhook, its timestamp and its signature. */
    @Benchmark
    public WebhookVerifier irisxVerify() {
        verifier.verify(ID, timestamp, headers.signature(), body);
        return verifier;
    }

    /** The limit: HMAC-SHA256 of the signed content with a ready Mac, then Base64. */
    @Benchmark
    public String jdkHmacBase64() {
        return Base64.getEncoder().encodeToString(mac.doFinal(content));
    }
}
