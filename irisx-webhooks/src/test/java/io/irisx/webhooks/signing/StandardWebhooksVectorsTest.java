package io.irisx.webhooks.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The published Standard Webhooks vectors ({@code standard-webhooks.json} beside this class in the test resources, a
 * copy of the project's shared vectors), so a plain clone runs them.
 */
@DisplayName("The published Standard Webhooks vectors")
class StandardWebhooksVectorsTest {

    static final String VECTORS = "standard-webhooks.json";

    private static JsonNode vectors;
    private static JsonNode base;

    @BeforeAll
    static void readVectors() throws IOException {
        try (InputStream in = StandardWebhooksVectorsTest.class.getResourceAsStream(VECTORS)) {
            assertThat(in).withFailMessage("the Standard Webhooks vectors %s are missing from the test resources",
                    VECTORS).isNotNull();
            vectors = new ObjectMapper().readTree(in);
        }
        base = vectors.path("symmetric").path(0);
        assertThat(base.isObject()).withFailMessage("%s has no symmetric vector", VECTORS).isTrue();
    }

    @TestFactory
    @DisplayName("every symmetric vector signs to its signature and verifies")
    Stream<DynamicTest> symmetric() {
        return cases("symmetric").map(v -> DynamicTest.dynamicTest(v.path("msg_id").asText(), () -> {
            WebhookSecret secret = WebhookSecret.parse(v.path("secret").asText());
            long timestamp = v.path("timestamp").asLong();
            byte[] body = payload(v);

            WebhookHeaders headers = WebhookSigner.of(secret).sign(v.path("msg_id").asText(), timestamp, body);

            assertThat(headers.signature()).isEqualTo(v.path("signature").asText());
            verifierAt(timestamp).secret(secret).build()
                    .verify(v.path("msg_id").asText(), Long.toString(timestamp), v.path("signature").asText(), body);
        }));
    }

    @TestFactory
    @DisplayName("every must_reject case is refused")
    Stream<DynamicTest> mustReject() {
        return cases("must_reject").map(c -> DynamicTest.dynamicTest(c.path("why").asText(), () -> {
            long now = base.path("timestamp").asLong() + c.path("timestamp_offset_s").asLong(0);
            String signature = c.path("signature_header").asText(base.path("signature").asText());
            WebhookVerifier verifier = verifierAt(now).secret(base.path("secret").asText()).build();

            assertThatThrownBy(() -> verifier.verify(base.path("msg_id").asText(),
                    base.path("timestamp").asText(), signature, payload(base)))
                    .isInstanceOf(WebhookVerificationException.class)
                    .extracting(e -> ((WebhookVerificationException) e).reason())
                    .isEqualTo(c.has("timestamp_offset_s")
                            ? WebhookVerificationReason.TOO_OLD : WebhookVerificationReason.NO_MATCHING_SIGNATURE);
        }));
    }

    @TestFactory
    @DisplayName("every must_accept case is accepted")
    Stream<DynamicTest> mustAccept() {
        return cases("must_accept").map(c -> DynamicTest.dynamicTest(c.path("why").asText(), () ->
                verifierAt(base.path("timestamp").asLong()).secret(base.path("secret").asText()).build()
                        .verify(base.path("msg_id").asText(), base.path("timestamp").asText(),
                                c.path("signature_header").asText(), payload(base))));
    }

    @TestFactory
    @DisplayName("every Ed25519 vector derives its public key, signs to its signature and verifies")
    Stream<DynamicTest> ed25519() {
        return cases("asymmetric_ed25519").map(v -> DynamicTest.dynamicTest(v.path("signature").asText(), () -> {
            WebhookKeyPair pair = WebhookKeyPair.parse(WebhookKeyPair.PREFIX + v.path("seed_base64").asText());
            String publicKey = WebhookPublicKey.PREFIX + v.path("public_key_base64").asText();
            long timestamp = base.path("timestamp").asLong();

            WebhookHeaders headers = WebhookSigner.of(pair).sign(base.path("msg_id").asText(), timestamp, payload(base));

            assertThat(pair.publicKey().text()).isEqualTo(publicKey);
            assertThat(headers.signature()).isEqualTo(v.path("signature").asText());
            verifierAt(timestamp).publicKey(publicKey).build().verify(headers.asMap(), payload(base));
        }));
    }

    @Test
    @DisplayName("the vectors file holds every kind of case, so that none is skipped unnoticed")
    void everyKindIsPresent() {
        assertThat(List.of("symmetric", "must_reject", "must_accept", "asymmetric_ed25519"))
                .allSatisfy(kind -> assertThat(vectors.path(kind).size()).as(kind).isPositive());
    }

    private static Stream<JsonNode> cases(String kind) {
        List<JsonNode> cases = new ArrayList<>();
        vectors.path(kind).forEach(cases::add);
        return cases.stream();
    }

    private static byte[] payload(JsonNode vector) {
        return vector.path("payload").asText().getBytes(StandardCharsets.UTF_8);
    }

    private static WebhookVerifier.Builder verifierAt(long epochSecond) {
        return WebhookVerifier.builder().clock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }
}
