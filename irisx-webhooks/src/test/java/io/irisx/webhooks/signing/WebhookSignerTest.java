package io.irisx.webhooks.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("WebhookSigner")
class WebhookSignerTest {

    private static final long NOW = 1_700_000_000L;
    private static final byte[] BODY = "{\"type\":\"message.sent\",\"data\":{\"id\":\"msg_1\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    @DisplayName("returns the three headers, the signature being v1 and the base64 HMAC-SHA256 of id.timestamp.body")
    void headers() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();

        WebhookHeaders headers = WebhookSigner.of(secret).sign("evt_1", NOW, BODY);

        assertThat(headers.id()).isEqualTo("evt_1");
        assertThat(headers.timestamp()).isEqualTo(NOW);
        assertThat(headers.signature()).isEqualTo("v1," + referenceHmac(secret, "evt_1", NOW, BODY));
        assertThat(headers.asMap()).containsExactly(
                Map.entry("webhook-id", List.of("evt_1")),
                Map.entry("webhook-timestamp", List.of("1700000000")),
                Map.entry("webhook-signature", List.of(headers.signature())));
        assertThat(WebhookSigner.of(secret).sign("evt_1", Instant.ofEpochSecond(NOW, 999_000_000), BODY))
                .isEqualTo(headers);
    }

    @Test
    @DisplayName("signs with every key, in order, space-separated, and each signature verifies on its own")
    void severalKeys() {
        WebhookSecret oldSecret = WebhookSecret.generate();
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookKeyPair pair = WebhookKeyPair.generate();

        WebhookHeaders headers = WebhookSigner.of(newSecret, oldSecret, pair).sign("evt_1", NOW, BODY);

        String[] signatures = headers.signature().split(" ");
        assertThat(signatures).hasSize(3);
        assertThat(signatures[0]).isEqualTo(WebhookSigner.of(newSecret).sign("evt_1", NOW, BODY).signature());
        assertThat(signatures[1]).isEqualTo(WebhookSigner.of(oldSecret).sign("evt_1", NOW, BODY).signature());
        assertThat(signatures[2]).startsWith("v1a,");
        verifierAt(NOW).secret(oldSecret).build().verify("evt_1", "1700000000", signatures[1], BODY);
        verifierAt(NOW).publicKey(pair.publicKey()).build().verify("evt_1", "1700000000", signatures[2], BODY);
    }

    @Test
    @DisplayName("during a rotation a consumer with only the old secret and one with only the new both accept")
    void rotation() {
        WebhookSecret oldSecret = WebhookSecret.generate();
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookHeaders headers = WebhookSigner.of(newSecret, oldSecret).sign("evt_1", NOW, BODY);

        verifierAt(NOW).secret(oldSecret).build().verify(headers.asMap(), BODY);
        verifierAt(NOW).secret(newSecret).build().verify(headers.asMap(), BODY);
        assertThatThrownBy(() -> verifierAt(NOW).secret(WebhookSecret.generate()).build().verify(headers.asMap(), BODY))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    @DisplayName("gives every one of many threads sharing it the right signature")
    void threads() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        WebhookSigner signer = WebhookSigner.of(secret);
        int threads = 8;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> wrong = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<String>> work = () -> {
                    start.await();
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String id = "evt_" + thread + "_" + i;
                        byte[] body = (id + " body of thread " + thread).getBytes(StandardCharsets.UTF_8);
                        long timestamp = NOW + i;
                        String expected = "v1," + referenceHmac(secret, id, timestamp, body);
                        String actual = signer.sign(id, timestamp, body).signature();
                        if (!actual.equals(expected)) {
                            mismatches.add(id);
                        }
                    }
                    return mismatches;
                };
                wrong.add(pool.submit(work));
            }
            start.countDown();
            for (Future<List<String>> result : wrong) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("refuses an id that is empty or holds a dot, a space, a control or non-ASCII character, and a negative time")
    void badInput() {
        WebhookSigner signer = WebhookSigner.of(WebhookSecret.generate());

        assertThatThrownBy(() -> signer.sign("", NOW, BODY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("id must not be empty");
        assertThatThrownBy(() -> signer.sign("evt.1", NOW, BODY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("id must be printable ASCII without spaces or '.', was 'evt.1'");
        assertThatThrownBy(() -> signer.sign("evt 1", NOW, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("évt_1", NOW, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("evt_1\u012e", NOW, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("evt_\u007f", NOW, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("evt\n1", NOW, BODY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("was 'evt?1'");
        assertThatThrownBy(() -> signer.sign("evt_1", -1, BODY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp must be unix seconds, not negative, was -1");
        assertThatThrownBy(() -> WebhookSigner.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys must hold at least one key, was empty");
    }

    @Test
    @DisplayName("signs the raw body bytes, whatever they are, and an empty body")
    void rawBytes() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        byte[] binary = {0, (byte) 0xff, (byte) 0xc3, 0x28, '.', ' '};

        assertThat(WebhookSigner.of(secret).sign("evt_1", NOW, binary).signature())
                .isEqualTo("v1," + referenceHmac(secret, "evt_1", NOW, binary));
        assertThat(WebhookSigner.of(secret).sign("evt_1", NOW, new byte[0]).signature())
                .isEqualTo("v1," + referenceHmac(secret, "evt_1", NOW, new byte[0]));
    }

    /** The HMAC computed the plain way, over one concatenated array. */
    static String referenceHmac(WebhookSecret secret, String id, long timestamp, byte[] body) throws Exception {
        byte[] head = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[head.length + body.length];
        System.arraycopy(head, 0, content, 0, head.length);
        System.arraycopy(body, 0, content, head.length, body.length);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.reveal().substring(6)), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content));
    }

    static WebhookVerifier.Builder verifierAt(long epochSecond) {
        return WebhookVerifier.builder().clock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }
}
