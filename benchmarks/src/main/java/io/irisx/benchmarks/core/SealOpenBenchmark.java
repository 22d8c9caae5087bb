package io.irisx.benchmarks.core;

import io.irisx.core.secret.SealingKeys;
import io.irisx.core.secret.SecretSealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
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
 * The time to seal and open a webhook secret with {@link SecretSealer}, beside the least any AES-256-GCM sealing can
 * cost on this JVM: a raw {@link Cipher}, created once, encrypting then decrypting the same bytes under a fresh random
 * nonce and authenticated data of the same length. One instance per benchmark thread.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class SealOpenBenchmark {

    private static final String CONTEXT = "tenant:acme/webhook-secret";
    private static final String PLAINTEXT = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private SecretSealer sealer;
    private SecretKeySpec key;
    private Cipher cipher;
    private SecureRandom random;
    private byte[] plaintext;
    private byte[] aad;

    /** Makes the keys and the raw cipher, outside the measurement. */
    @Setup
    public void setUp() throws GeneralSecurityException {
        sealer = SecretSealer.of(SealingKeys.generate("bench"));
        random = new SecureRandom();
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        key = new SecretKeySpec(raw, "AES");
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        plaintext = PLAINTEXT.getBytes(StandardCharsets.UTF_8);
        // What SecretSealer authenticates: its header, then the context.
        aad = ("irisx:v1:bench:" + CONTEXT).getBytes(StandardCharsets.UTF_8);
    }

    /** IRISX: seal to text, then open it again. */
    @Benchmark
    public String irisx() {
        return sealer.open(sealer.seal(PLAINTEXT, CONTEXT), CONTEXT);
    }

    /** The limit: AES-256-GCM encrypt and decrypt of the same bytes with a cached cipher, no encoding. */
    @Benchmark
    public byte[] jdkAesGcm() throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        byte[] sealed = cipher.doFinal(plaintext);
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(sealed);
    }
}
