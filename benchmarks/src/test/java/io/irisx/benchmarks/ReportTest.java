package io.irisx.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final String IDS = "io.irisx.benchmarks.core.MessageIdGenerateBenchmark.";
    private static final String SEAL = "io.irisx.benchmarks.core.SealOpenBenchmark.";
    private static final String WEBHOOKS = "io.irisx.benchmarks.webhooks.SignVerifyBenchmark.";
    private static final String TEMPLATES = "io.irisx.benchmarks.email.TemplateRenderBenchmark.";

    @Test
    void aThroughputComparisonPrintsOursOverPeer() throws Exception {
        JsonNode results = json(result(IDS + "irisx", "thrpt", 12.3456, "ops/us"),
                result(IDS + "jdkRandomUuid", "thrpt", 3.0, "ops/us"));

        assertThat(Report.lines(results)).containsExactly("bench: MessageId.generate | ours=12.35 ops/us"
                + " | peer=3 ops/us (java.util.UUID.randomUUID) | ratio=4.12");
    }

    @Test
    void aTimeComparisonPrintsPeerOverOursSoThatAboveOneMeansIrisxIsFaster() throws Exception {
        JsonNode results = json(result(SEAL + "irisx", "avgt", 4.0, "us/op"),
                result(SEAL + "jdkAesGcm", "avgt", 1.0, "us/op"));

        assertThat(Report.lines(results)).containsExactly("bench: SecretSealer.seal+open | ours=4 us/op"
                + " | peer=1 us/op (limit: javax.crypto AES-256-GCM encrypt+decrypt) | ratio=0.25");
    }

    @Test
    void signAndVerifyAreEachComparedWithTheSameRawJdkMac() throws Exception {
        JsonNode results = json(result(WEBHOOKS + "irisxSign", "avgt", 1100.0, "ns/op"),
                result(WEBHOOKS + "irisxVerify", "avgt", 1250.0, "ns/op"),
                result(WEBHOOKS + "jdkHmacBase64", "avgt", 1000.0, "ns/op"));

        assertThat(Report.lines(results)).containsExactly(
                "bench: WebhookSigner.sign 1KiB | ours=1100 ns/op | peer=1000 ns/op (raw JDK Mac) | ratio=0.91",
                "bench: WebhookVerifier.verify 1KiB | ours=1250 ns/op | peer=1000 ns/op (raw JDK Mac) | ratio=0.80");
    }

    @Test
    void renderAndPreviewAreEachComparedWithTheSameJMustacheLimit() throws Exception {
        JsonNode results = json(result(TEMPLATES + "irisxRender", "thrpt", 240.0, "ops/ms"),
                result(TEMPLATES + "irisxPreview", "thrpt", 190.0, "ops/ms"),
                result(TEMPLATES + "jmustache", "thrpt", 300.0, "ops/ms"));

        assertThat(Report.lines(results)).containsExactly(
                "bench: email.template-render welcome (subject+text+html, 10 vars; EmailTemplates.render, as a send)"
                        + " | ours=240 ops/ms | peer=300 ops/ms (limit: JMustache, compiled once) | ratio=0.80",
                "bench: email.template-preview welcome (EmailTemplates.preview: H2 read + render)"
                        + " | ours=190 ops/ms | peer=300 ops/ms (limit: JMustache, compiled once) | ratio=0.63");
    }

    @Test
    void aComparisonMissingOneSideIsLeftOut() throws Exception {
        JsonNode results = json(result(IDS + "irisx", "thrpt", 12.0, "ops/us"));

        assertThat(Report.lines(results)).isEmpty();
    }

    @Test
    void sidesMeasuredDifferentlyAreRefused() throws Exception {
        JsonNode results = json(result(IDS + "irisx", "thrpt", 12.0, "ops/us"),
                result(IDS + "jdkRandomUuid", "avgt", 0.3, "us/op"));

        assertThatThrownBy(() -> Report.lines(results))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MessageId.generate: ours is measured in thrpt ops/us but the peer in avgt us/op");
    }

    private static JsonNode json(String... results) throws Exception {
        return new ObjectMapper().readTree("[" + String.join(",", results) + "]");
    }

    private static String result(String benchmark, String mode, double score, String unit) {
        return """
                {"benchmark": "%s", "mode": "%s", "primaryMetric": {"score": %s, "scoreUnit": "%s"}}
                """.formatted(benchmark, mode, score, unit);
    }
}
