package io.irisx.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code webhook} command, run on the Standard Webhooks reference vector. */
@DisplayName("irisx webhook")
class WebhookCommandTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Clock AT_VECTOR = Clock.fixed(Instant.ofEpochSecond(1614265330L), ZoneOffset.UTC);

    @Test
    @DisplayName("sign prints the three headers, one 'name: value' a line, and exits 0")
    void sign() {
        Run run = run(AT_VECTOR, BODY, "sign", "--secret", SECRET, "--id", ID, "--timestamp", TIMESTAMP);

        assertThat(run.status).isZero();
        assertThat(run.out).isEqualTo("webhook-id: " + ID + "\nwebhook-timestamp: " + TIMESTAMP
                + "\nwebhook-signature: " + SIGNATURE + "\n");
        assertThat(run.err).isEmpty();
    }

    @Test
    @DisplayName("sign takes the clock's now when no timestamp is given, and one signature per key")
    void signNowWithSeveralKeys() {
        Run run = run(AT_VECTOR, BODY, "sign", "--secret", "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY", "--secret",
                SECRET, "--secret", "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=", "--id", ID);

        assertThat(run.status).isZero();
        assertThat(run.out).contains("webhook-timestamp: " + TIMESTAMP + "\n")
                .containsPattern("webhook-signature: v1,\\S+ " + SIGNATURE.replace("+", "\\+")
                        + " v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==\n");
    }

    @Test
    @DisplayName("verify exits 0 for a valid webhook")
    void verifyValid() {
        Run run = run(AT_VECTOR, BODY, "verify", "--secret", SECRET, "--id", ID, "--timestamp", TIMESTAMP,
                "--signature", SIGNATURE);

        assertThat(run.status).isZero();
        assertThat(run.out).isEqualTo("valid\n");
    }

    @Test
    @DisplayName("verify exits 1 with the reason on stderr for a tampered body, and never prints the secret")
    void verifyTampered() {
        Run run = run(AT_VECTOR, BODY + " ", "verify", "--secret", SECRET, "--id", ID, "--timestamp", TIMESTAMP,
                "--signature", SIGNATURE);

        assertThat(run.status).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("invalid: NO_MATCHING_SIGNATURE: none of the 1 signature(s)")
                .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @Test
    @DisplayName("verify holds the timestamp to five minutes of now, unless --no-tolerance is given")
    void verifyTolerance() {
        Clock muchLater = Clock.offset(AT_VECTOR, Duration.ofDays(365));
        String[] args = {"verify", "--secret", SECRET, "--id", ID, "--timestamp", TIMESTAMP, "--signature", SIGNATURE};

        Run strict = run(muchLater, BODY, args);
        Run lenient = run(muchLater, BODY, append(args, "--no-tolerance"));

        assertThat(strict.status).isEqualTo(1);
        assertThat(strict.err).startsWith("invalid: TOO_OLD: ");
        assertThat(lenient.status).isZero();
    }

    @Test
    @DisplayName("verify checks Ed25519 signatures with a whpk_ public key")
    void verifyEd25519() {
        Run run = run(AT_VECTOR, BODY, "verify", "--secret", "whpk_ZlN4eg7dSSqi0moX9hQUk3orrOouK3QVQSlJa248c/g=",
                "--id", ID, "--timestamp", TIMESTAMP, "--signature",
                "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==");

        assertThat(run.status).isZero();
    }

    @Test
    @DisplayName("a wrong command line exits 2 with what was wrong and the usage, a bad secret shown redacted")
    void usageErrors() {
        assertUsage(run(AT_VECTOR, BODY), "no action given");
        assertUsage(run(AT_VECTOR, BODY, "check"), "unknown action 'check'");
        assertUsage(run(AT_VECTOR, BODY, "sign", "--id", ID), "--secret is required");
        assertUsage(run(AT_VECTOR, BODY, "sign", "--secret", SECRET), "--id is required");
        assertUsage(run(AT_VECTOR, BODY, "sign", "--secret", SECRET, "--id"), "--id needs a value");
        assertUsage(run(AT_VECTOR, BODY, "sign", "--secret", SECRET, "--id", ID, "--timestamp", "soon"),
                "--timestamp must be unix seconds, was 'soon'");
        assertUsage(run(AT_VECTOR, BODY, "sign", "--secret", SECRET, "--id", ID, "--no-tolerance"),
                "--no-tolerance does not apply here");
        assertUsage(run(AT_VECTOR, BODY, "sign", "--secret", SECRET, "--id", "a.b"), "id must be printable ASCII");
        assertUsage(run(AT_VECTOR, BODY, "verify", "--secret", SECRET, "--id", ID, "--timestamp", TIMESTAMP),
                "--signature is required");
        assertUsage(run(AT_VECTOR, BODY, "verify", "--secret", SECRET, "--id", ID, "--id", ID, "--timestamp",
                TIMESTAMP, "--signature", SIGNATURE), "--id is given 2 times; give it once");
        Run badSecret = run(AT_VECTOR, BODY, "sign", "--secret", "whsec_s3cr3t!!", "--id", ID);
        assertUsage(badSecret, "secret: 'whsec_**** (14 characters)' is not a webhook secret");
        assertThat(badSecret.err).doesNotContain("s3cr3t");
    }

    @Test
    @DisplayName("--help prints the usage and exits 0")
    void help() {
        Run run = run(AT_VECTOR, BODY, "--help");

        assertThat(run.status).isZero();
        assertThat(run.out).startsWith("usage: irisx webhook sign");
    }

    private static void assertUsage(Run run, String problem) {
        assertThat(run.status).as(run.err).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("irisx webhook: ").contains(problem).contains("usage: irisx webhook sign");
    }

    private static String[] append(String[] args, String arg) {
        String[] longer = Arrays.copyOf(args, args.length + 1);
        longer[args.length] = arg;
        return longer;
    }

    private static Run run(Clock clock, String body, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new WebhookCommand(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                clock).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int status, String out, String err) {
    }
}
