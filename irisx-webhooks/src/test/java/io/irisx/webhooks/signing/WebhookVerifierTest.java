package io.irisx.webhooks.signing;

import static io.irisx.webhooks.signing.WebhookSignerTest.verifierAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.testing.MutableClock;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("WebhookVerifier")
class WebhookVerifierTest {

    private static final long NOW = 1_700_000_000L;
    private static final byte[] BODY = "{\"type\":\"message.sent\"}".getBytes(StandardCharsets.UTF_8);

    private final WebhookSecret secret = WebhookSecret.generate();
    private final WebhookHeaders signed = WebhookSigner.of(secret).sign("evt_1", NOW, BODY);
    private final WebhookVerifier verifier = verifierAt(NOW).secret(secret).build();

    @Test
    @DisplayName("accepts what the signer signed, given as a map, as java.net.http headers or as values")
    void roundTrip() {
        assertThatCode(() -> {
            verifier.verify(signed.asMap(), BODY);
            verifier.verify(HttpHeaders.of(signed.asMap(), (name, value) -> true), BODY);
            verifier.verify(signed.id(), Long.toString(signed.timestamp()), signed.signature(), BODY);
        }).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("finds the headers whatever the case of their names")
    void caseInsensitiveNames() {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Webhook-Id", List.of(signed.id()));
        headers.put("WEBHOOK-TIMESTAMP", List.of(Long.toString(signed.timestamp())));
        headers.put("webhook-Signature", List.of(signed.signature()));
        headers.put(null, List.of("HTTP/1.1 200 OK")); // as HttpURLConnection gives its status line

        assertThatCode(() -> verifier.verify(headers, BODY)).doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(HttpHeaders.of(headers.entrySet().stream()
                        .filter(e -> e.getKey() != null)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                (name, value) -> true), BODY))
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("refuses a tampered body, id or timestamp, and a signature from another secret")
    void tampering() {
        String timestamp = Long.toString(NOW);
        byte[] changedBody = "{\"type\":\"message.sent\" }".getBytes(StandardCharsets.UTF_8);

        assertReason(() -> verifier.verify(signed.id(), timestamp, signed.signature(), changedBody),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        assertReason(() -> verifier.verify("evt_2", timestamp, signed.signature(), BODY),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        assertReason(() -> verifier.verify(signed.id(), Long.toString(NOW + 1), signed.signature(), BODY),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        String foreign = WebhookSigner.of(WebhookSecret.generate()).sign("evt_1", NOW, BODY).signature();
        assertReason(() -> verifier.verify(signed.id(), timestamp, foreign, BODY),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    @DisplayName("skips signatures of other versions and malformed ones, and accepts when another one matches")
    void otherSignatures() {
        String timestamp = Long.toString(NOW);
        String v1 = signed.signature();
        String v1Value = v1.substring(3);

        assertThatCode(() -> verifier.verify(signed.id(), timestamp, "v2," + v1Value + "  v1a,%%% ,,, v1 " + v1,
                BODY)).doesNotThrowAnyException();
        assertReason(() -> verifier.verify(signed.id(), timestamp, "v2," + v1Value, BODY),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        assertReason(() -> verifier.verify(signed.id(), timestamp, v1Value, BODY),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        assertReason(() -> verifier.verify(signed.id(), timestamp, v1.replace("=", ""), BODY),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    @DisplayName("with the old and the new secret, accepts webhooks signed with either")
    void rotation() {
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookVerifier both = verifierAt(NOW).secret(secret).secret(newSecret.reveal()).build();

        assertThatCode(() -> {
            both.verify(signed.asMap(), BODY);
            both.verify(WebhookSigner.of(newSecret).sign("evt_2", NOW, BODY).asMap(), BODY);
            both.verify(WebhookSigner.of(newSecret, secret).sign("evt_3", NOW, BODY).asMap(), BODY);
        }).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("verifies Ed25519 signatures with the public key, beside symmetric ones")
    void ed25519() {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        WebhookHeaders both = WebhookSigner.of(secret, pair).sign("evt_1", NOW, BODY);
        WebhookVerifier byPublicKey = verifierAt(NOW).publicKey(pair.publicKey().text()).build();

        assertThatCode(() -> byPublicKey.verify(both.asMap(), BODY)).doesNotThrowAnyException();
        assertReason(() -> byPublicKey.verify(signed.asMap(), BODY), WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        assertReason(() -> byPublicKey.verify(both.id(), "1700000000", both.signature(), "x".getBytes()),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        assertReason(() -> verifierAt(NOW).publicKey(WebhookKeyPair.generate().publicKey()).build()
                .verify(both.asMap(), BODY), WebhookVerificationReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    @DisplayName("names a missing or empty header")
    void missingHeaders() {
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            Map<String, List<String>> headers = new HashMap<>(signed.asMap());
            headers.remove(name);
            assertReason(() -> verifier.verify(headers, BODY), WebhookVerificationReason.MISSING_HEADER)
                    .hasMessageStartingWith("the " + name + " header is missing");
            headers.put(name, List.of(""));
            assertReason(() -> verifier.verify(headers, BODY), WebhookVerificationReason.MISSING_HEADER)
                    .hasMessageStartingWith("the " + name + " header is empty");
            headers.put(name, List.of());
            assertReason(() -> verifier.verify(headers, BODY), WebhookVerificationReason.MISSING_HEADER);
        }
    }

    @Test
    @DisplayName("refuses a timestamp that is not plain decimal unix seconds")
    void badTimestamps() {
        for (String timestamp : List.of("abc", "1700000000.5", "+1700000000", "01700000000", "-1", " 1700000000",
                "99999999999999999999")) {
            assertReason(() -> verifier.verify(signed.id(), timestamp, signed.signature(), BODY),
                    WebhookVerificationReason.BAD_TIMESTAMP)
                    .hasMessageContaining("is not unix seconds written as a plain decimal integer");
        }
    }

    @Test
    @DisplayName("accepts a timestamp up to five minutes either side of the clock's now, and refuses it beyond")
    void tolerance() {
        MutableClock clock = MutableClock.at(Instant.ofEpochSecond(NOW - 300));
        WebhookVerifier atClock = WebhookVerifier.builder().secret(secret).clock(clock).build();

        assertThatCode(() -> atClock.verify(signed.asMap(), BODY)).doesNotThrowAnyException(); // 300 s ahead
        clock.advance(Duration.ofSeconds(600));
        assertThatCode(() -> atClock.verify(signed.asMap(), BODY)).doesNotThrowAnyException(); // 300 s behind
        clock.advance(Duration.ofSeconds(1));
        assertReason(() -> atClock.verify(signed.asMap(), BODY), WebhookVerificationReason.TOO_OLD)
                .hasMessage("the webhook-timestamp 1700000000 is 301 s before now (1700000301), beyond the tolerance"
                        + " of 300 s: a replayed or long-delayed webhook, or a clock that is off");
        assertReason(() -> verifierAt(NOW - 301).secret(secret).build().verify(signed.asMap(), BODY),
                WebhookVerificationReason.TOO_NEW);
    }

    @Test
    @DisplayName("checks the timestamp before the signature, so a stale replay is reported as such")
    void timestampFirst() {
        assertReason(() -> verifierAt(NOW + 3600).secret(secret).build()
                .verify(signed.id(), Long.toString(NOW), "v1,forged", BODY), WebhookVerificationReason.TOO_OLD);
    }

    @Test
    @DisplayName("takes a configured tolerance, and may skip the window check but not the signature")
    void configuredTolerance() {
        WebhookVerifier wide = verifierAt(NOW + 3600).secret(secret).tolerance(Duration.ofHours(1)).build();
        WebhookVerifier unchecked = verifierAt(NOW + 86_400 * 365).secret(secret).checkTimestamp(false).build();

        assertThatCode(() -> wide.verify(signed.asMap(), BODY)).doesNotThrowAnyException();
        assertThatCode(() -> unchecked.verify(signed.asMap(), BODY)).doesNotThrowAnyException();
        assertReason(() -> unchecked.verify(signed.id(), "1700000001", signed.signature(), BODY),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        assertReason(() -> unchecked.verify(signed.id(), "x", signed.signature(), BODY),
                WebhookVerificationReason.BAD_TIMESTAMP);
        assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tolerance must be at least 1 second, was PT0.5S");
    }

    @Test
    @DisplayName("takes any tolerance up to Long.MAX_VALUE seconds without the window overflowing")
    void hugeTolerance() {
        for (long seconds : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - NOW, Long.MAX_VALUE / 2}) {
            WebhookVerifier lenient = verifierAt(NOW).secret(secret).tolerance(Duration.ofSeconds(seconds)).build();
            assertThatCode(() -> lenient.verify(signed.asMap(), BODY)).doesNotThrowAnyException();
            WebhookHeaders late = WebhookSigner.of(secret).sign("evt_1", 999_999_999_999_999_999L, BODY);
            assertThatCode(() -> lenient.verify(late.asMap(), BODY)).doesNotThrowAnyException();
        }
    }

    @Test
    @DisplayName("needs a key, and its failures and its description never show one")
    void noKeysAndNoSecretsShown() {
        assertThatThrownBy(() -> WebhookVerifier.builder().build()).isInstanceOf(IllegalStateException.class);
        String text = secret.reveal().substring(6);

        assertThat(verifier.toString()).isEqualTo("WebhookVerifier[1 secret(s), 0 public key(s), tolerance 300 s]")
                .doesNotContain(text);
        assertReason(() -> verifier.verify(signed.id(), Long.toString(NOW), "v1,forged", BODY),
                WebhookVerificationReason.NO_MATCHING_SIGNATURE)
                .hasMessage("none of the 1 signature(s) in webhook-signature matches the content under the 1 "
                        + "secret(s) and 0 public key(s) configured; check the keys, and that the body is verified "
                        + "exactly as received")
                .message().doesNotContain(text);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertReason(
            ThrowingCallable call, WebhookVerificationReason reason) {
        return assertThatThrownBy(call)
                .isInstanceOf(WebhookVerificationException.class)
                .satisfies(e -> assertThat(((WebhookVerificationException) e).reason()).isEqualTo(reason));
    }
}
