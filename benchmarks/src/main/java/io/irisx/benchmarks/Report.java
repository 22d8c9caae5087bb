package io.irisx.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.benchmarks.core.MessageIdGenerateBenchmark;
import io.irisx.benchmarks.core.SealOpenBenchmark;
import io.irisx.benchmarks.email.InboundEventsBenchmark;
import io.irisx.benchmarks.email.TemplateRenderBenchmark;
import io.irisx.benchmarks.tenancy.ReservationBenchmark;
import io.irisx.benchmarks.tenancy.TenancyBenchmark;
import io.irisx.benchmarks.voice.EslParseBenchmark;
import io.irisx.benchmarks.voice.TwimlRenderBenchmark;
import io.irisx.benchmarks.webhooks.SignVerifyBenchmark;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the JSON results of a JMH run and prints one line per comparison of IRISX with its peer or limit; a
 * command-line tool, stateless.
 *
 * <p>Each line reads {@code bench: <name> | ours=<value> <unit> | peer=<value> <unit> (<peer>) | ratio=<r>}, where a
 * ratio above 1 means IRISX does better: ours/peer for a throughput, peer/ours for a time per operation. A comparison
 * whose two benchmarks are not both in the results (another suite was run) is left out.
 */
public final class Report {

    /** The comparisons IRISX publishes: each pairs an IRISX benchmark with its peer's in the same class. */
    static final List<Comparison> COMPARISONS = List.of(
            new Comparison("MessageId.generate", MessageIdGenerateBenchmark.class, "irisx", "jdkRandomUuid",
                    "java.util.UUID.randomUUID"),
            new Comparison("SecretSealer.seal+open", SealOpenBenchmark.class, "irisx", "jdkAesGcm",
                    "limit: javax.crypto AES-256-GCM encrypt+decrypt"),
            new Comparison("WebhookSigner.sign 1KiB", SignVerifyBenchmark.class, "irisxSign", "jdkHmacBase64",
                    "raw JDK Mac"),
            new Comparison("WebhookVerifier.verify 1KiB", SignVerifyBenchmark.class, "irisxVerify", "jdkHmacBase64",
                    "raw JDK Mac"),
            new Comparison("email.template-render welcome (subject+text+html, 10 vars; EmailTemplates.render, as a send)",
                    TemplateRenderBenchmark.class, "irisxRender", "jmustache", "limit: JMustache, compiled once"),
            new Comparison("email.template-preview welcome (EmailTemplates.preview: H2 read + render)",
                    TemplateRenderBenchmark.class, "irisxPreview", "jmustache", "limit: JMustache, compiled once"),
            new Comparison("email.inbound SendGridEvents (ECDSA P-256, parse, lookup)", InboundEventsBenchmark.class,
                    "sendGridHandler", "sendGridBare", "limit: JDK SHA256withECDSA verify"),
            new Comparison("email.inbound MailgunEvents (HMAC, one-time token noted, parse, lookup)",
                    InboundEventsBenchmark.class, "mailgunHandler", "mailgunBare", "limit: JDK HmacSHA256"),
            new Comparison("email.inbound ResendEvents (Standard Webhooks, parse, lookup)", InboundEventsBenchmark.class,
                    "resendHandler", "resendBare", "limit: JDK HmacSHA256"),
            new Comparison("email.inbound SesEvents (SNS SHA256withRSA, cached certificate, parse, lookup)",
                    InboundEventsBenchmark.class, "sesHandler", "sesBare", "limit: JDK SHA256withRSA verify"),
            new Comparison("tenancy.authenticate (API key: row by prefix, SHA-256 compared)", TenancyBenchmark.class,
                    "authenticate", "bareAuthenticate", "limit: SHA-256 and constant-time compare, no database"),
            new Comparison("tenancy.rate-limit (RateLimiter.acquireSend, local buckets)", TenancyBenchmark.class,
                    "rateLimit", "bucket4j", "Bucket4j used directly"),
            new Comparison("tenancy.metering (Metering.record, 8 threads, H2)", TenancyBenchmark.class, "meter",
                    "bareInsert", "limit: bare INSERT in a transaction"),
            new Comparison("tenancy.reservations (SendCredit.reserve, one PREPAID tenant, 8 threads, PostgreSQL)",
                    ReservationBenchmark.class, "reserve", "bareInsert",
                    "limit: bare INSERT in a transaction, no lock, no sum"),
            new Comparison("voice.twiml-render (10-step flow, TwimlRenderer.render)", TwimlRenderBenchmark.class,
                    "irisx", "sdkByHand", "Twilio SDK VoiceResponse built by hand"),
            new Comparison("voice.esl-parse (2,600 plain events of 200 calls per op: EslDecoder + EslEvent)",
                    EslParseBenchmark.class, "irisx", "bareSplit",
                    "limit: split at blank lines and ': ', nothing decoded or checked"));

    private Report() {
    }

    /**
     * Prints the comparison lines of a JMH JSON results file.
     *
     * @param args the path of the results file ({@code -rf json -rff <file>})
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp benchmarks.jar io.irisx.benchmarks.Report <jmh-results.json>");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        List<String> lines = lines(results);
        if (lines.isEmpty()) {
            System.err.println("bench: no comparison has both of its benchmarks in " + args[0]);
            System.exit(1);
        }
        lines.forEach(System.out::println);
    }

    /** The comparison lines for JMH's JSON results, in the order of {@link #COMPARISONS}. */
    static List<String> lines(JsonNode results) {
        Map<String, Score> scores = new HashMap<>();
        for (JsonNode result : results) {
            JsonNode metric = result.path("primaryMetric");
            scores.put(result.path("benchmark").asText(), new Score(result.path("mode").asText(),
                    metric.path("score").asDouble(), metric.path("scoreUnit").asText()));
        }
        List<String> lines = new ArrayList<>();
        for (Comparison comparison : COMPARISONS) {
            Score ours = scores.get(comparison.oursBenchmark());
            Score peer = scores.get(comparison.peerBenchmark());
            if (ours != null && peer != null) {
                lines.add(comparison.line(ours, peer));
            }
        }
        return lines;
    }

    /** One JMH result: its mode ({@code thrpt}, {@code avgt}, …), score and unit. */
    record Score(String mode, double value, String unit) {
    }

    /** An IRISX benchmark method and its peer's, both in {@code benchmarkClass}. */
    record Comparison(String name, Class<?> benchmarkClass, String oursMethod, String peerMethod, String peerName) {

        Comparison {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(benchmarkClass, "benchmarkClass");
            Objects.requireNonNull(oursMethod, "oursMethod");
            Objects.requireNonNull(peerMethod, "peerMethod");
            Objects.requireNonNull(peerName, "peerName");
        }

        String oursBenchmark() {
            return benchmarkClass.getName() + "." + oursMethod;
        }

        String peerBenchmark() {
            return benchmarkClass.getName() + "." + peerMethod;
        }

        String line(Score ours, Score peer) {
            if (!ours.mode().equals(peer.mode()) || !ours.unit().equals(peer.unit())) {
                throw new IllegalStateException(name + ": ours is measured in " + ours.mode() + " " + ours.unit()
                        + " but the peer in " + peer.mode() + " " + peer.unit() + "; measure both alike");
            }
            return Report.line(name, ours.value(), peer.value(), ours.unit(), peerName, ours.mode().equals("thrpt"));
        }
    }

    /**
     * One comparison line: {@code higherIsBetter} for a throughput (ratio ours/peer), not for a time (peer/ours).
     */
    public static String line(String name, double ours, double peer, String unit, String peerName,
            boolean higherIsBetter) {
        double ratio = higherIsBetter ? ours / peer : peer / ours;
        return "bench: " + name
                + " | ours=" + format(ours) + " " + unit
                + " | peer=" + format(peer) + " " + unit + " (" + peerName + ")"
                + " | ratio=" + String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static String format(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
