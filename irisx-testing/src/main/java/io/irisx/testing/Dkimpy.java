package io.irisx.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * dkimpy, a DKIM verifier independent of IRISX (Debian's {@code python3-dkim}, https://launchpad.net/dkimpy), run on
 * a message with the public key records given instead of looked up in DNS; stateless and thread-safe.
 *
 * <p>It runs the Debian system Python ({@code /usr/bin/python3}, else {@code python3} on the path) on a small wrapper
 * around {@code dkim.DKIM.verify} shipped with this class. {@code scripts/test} installs the package; a test run
 * where it is missing should skip with {@link #isInstalled()} rather than fail.
 */
public final class Dkimpy {

    private static final String SCRIPT = "dkim_verify.py";
    private static final long TIMEOUT_SECONDS = 60;
    /** The DER of an Ed25519 SubjectPublicKeyInfo before its 32 key bytes. */
    private static final int ED25519_SPKI_PREFIX = 12;

    private Dkimpy() {
    }

    /** What dkimpy said: whether the signature verified, and its output (the reasons when it did not). */
    public record Verdict(boolean passed, String output) {
    }

    /** Whether the system Python can import dkimpy, and PyNaCl for Ed25519. */
    public static boolean isInstalled() {
        try {
            Process process = new ProcessBuilder(python(), "-c", "import dkim, nacl").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Verifies the topmost {@code DKIM-Signature} of {@code message}, as {@link #verify(byte[], int, Map)}. */
    public static Verdict verify(byte[] message, Map<String, String> records) {
        return verify(message, 0, records);
    }

    /**
     * Verifies one {@code DKIM-Signature} of {@code message}.
     *
     * @param message the message as received, lines ending in CRLF
     * @param index which signature, 0 for the topmost
     * @param records the TXT records dkimpy's DNS lookups find, by name (see {@link #recordName(String, String)}
     *     and {@link #keyRecord(PublicKey)}); any other name has none
     */
    public static Verdict verify(byte[] message, int index, Map<String, String> records) {
        Objects.requireNonNull(message, "message");
        List<String> command = new ArrayList<>(List.of(python(), "-c", script(), Integer.toString(index)));
        records.forEach((name, record) -> command.add(name + "=" + record));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(message);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("dkimpy did not finish within " + TIMEOUT_SECONDS + "s: " + output);
            }
            int exit = process.exitValue();
            if (exit != 0 && exit != 1) {
                throw new IllegalStateException("dkimpy failed to run (exit " + exit + "): " + output);
            }
            return new Verdict(exit == 0, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + python() + " for dkimpy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dkimpy ran", e);
        }
    }

    /** The DNS name of a DKIM key record: {@code <selector>._domainkey.<domain>}. */
    public static String recordName(String selector, String domain) {
        return selector + "._domainkey." + domain;
    }

    /**
     * The DKIM key record of {@code key} (RFC 6376 §3.6.1, RFC 8463 §4): {@code v=DKIM1; k=rsa; p=<base64
     * SubjectPublicKeyInfo>} or {@code v=DKIM1; k=ed25519; p=<base64 of the 32-byte key>}.
     */
    public static String keyRecord(PublicKey key) {
        Base64.Encoder base64 = Base64.getEncoder();
        if (key instanceof RSAPublicKey) {
            return "v=DKIM1; k=rsa; p=" + base64.encodeToString(key.getEncoded());
        }
        if (key instanceof EdECPublicKey) {
            byte[] spki = key.getEncoded();
            return "v=DKIM1; k=ed25519; p=" + base64.encodeToString(
                    Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX, spki.length));
        }
        throw new IllegalArgumentException("DKIM keys are RSA or Ed25519, not " + key.getAlgorithm());
    }

    private static String python() {
        Path debian = Path.of("/usr/bin/python3");
        return Files.isExecutable(debian) ? debian.toString() : "python3";
    }

    private static String script() {
        try (InputStream in = Dkimpy.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing beside " + Dkimpy.class.getName());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
