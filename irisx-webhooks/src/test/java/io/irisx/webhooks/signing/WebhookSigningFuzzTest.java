package io.irisx.webhooks.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import io.irisx.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random text given to the key parsers and random requests to {@link WebhookVerifier}: a key is read or refused
 * with an {@link IrisxValidationException} that never shows a secret; a request verifies or fails with a
 * {@link WebhookVerificationException}, and nothing else; a request signed with a configured key verifies whatever the
 * tolerance.
 */
class WebhookSigningFuzzTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final WebhookSecret SECRET = WebhookSecret.generate();
    private static final WebhookKeyPair PAIR = WebhookKeyPair.generate();
    private static final List<Class<? extends Throwable>> INVALID = List.of(IrisxValidationException.class);
    private static final List<Class<? extends Throwable>> UNVERIFIED = List.of(WebhookVerificationException.class);

    @Property(tries = 1000)
    void key_text_is_read_back_or_refused_without_showing_a_secret(@ForAll("keyTexts") String text) {
        List<String> secrets = text.length() > 12 ? List.of(text.substring(6)) : List.of();
        DocumentedFailures.only(() -> assertThat(WebhookSecret.parse(text).size()).isPositive(), INVALID, secrets);
        DocumentedFailures.only(() -> WebhookKeyPair.parse(text).publicKey(), INVALID, secrets);
        DocumentedFailures.only(() -> assertThat(WebhookPublicKey.parse(text).text()).isNotEmpty(), INVALID);
    }

    @Property(tries = 1000)
    void thirty_two_random_bytes_are_a_public_key_or_refused(@ForAll("rawKeys") byte[] raw) {
        String text = WebhookPublicKey.PREFIX + Base64.getEncoder().encodeToString(raw);
        DocumentedFailures.only(() -> {
            WebhookPublicKey key = WebhookPublicKey.parse(text);
            WebhookVerifier verifier = WebhookVerifier.builder().publicKey(key).clock(MutableClock.at(NOW)).build();
            DocumentedFailures.only(() -> verifier.verify("msg_1", Long.toString(NOW.getEpochSecond()),
                    "v1a," + Base64.getEncoder().encodeToString(new byte[64]), new byte[0]), UNVERIFIED);
        }, INVALID);
    }

    @Property(tries = 1000)
    void a_random_request_verifies_or_fails_with_a_verification_exception(@ForAll("requests") Request request) {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).publicKey(PAIR.publicKey())
                .clock(MutableClock.at(NOW)).build();
        List<String> secrets = List.of(SECRET.reveal(), SECRET.reveal().substring(WebhookSecret.PREFIX.length()));
        DocumentedFailures.only(() -> verifier.verify(request.headers(), request.body()), UNVERIFIED, secrets);
        DocumentedFailures.only(() -> verifier.verify(request.header(WebhookHeaders.ID),
                request.header(WebhookHeaders.TIMESTAMP), request.header(WebhookHeaders.SIGNATURE), request.body()),
                UNVERIFIED, secrets);
    }

    @Property(tries = 1000)
    void a_signed_request_verifies_whatever_the_tolerance(@ForAll("tolerances") Duration tolerance,
            @ForAll("bodies") byte[] body, @ForAll("skews") long skewSeconds) {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).tolerance(tolerance)
                .clock(MutableClock.at(NOW)).build();
        WebhookHeaders headers = WebhookSigner.of(SECRET, PAIR).sign("msg_2", NOW.getEpochSecond() + skewSeconds, body);
        if (Math.abs(skewSeconds) <= tolerance.getSeconds()) {
            verifier.verify(headers.asMap(), body);
        } else {
            DocumentedFailures.only(() -> verifier.verify(headers.asMap(), body), UNVERIFIED)
                    .orElseThrow(() -> new AssertionError("a timestamp " + skewSeconds + " s off verified under a "
                            + "tolerance of " + tolerance));
        }
    }

    /** A request: its headers as received, its body. */
    record Request(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    @Provide
    Arbitrary<String> keyTexts() {
        Arbitrary<String> valid = Arbitraries.of(SECRET.reveal(), PAIR.reveal(), PAIR.publicKey().text(),
                WebhookSecret.generate().reveal().substring(WebhookSecret.PREFIX.length()));
        Arbitrary<String> base64 = Arbitraries.integers().between(0, 70)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .flatMap(bytes -> Combinators.combine(Arbitraries.of("", "whsec_", "whsk_", "whpk_", "WHSEC_", "whsec"),
                        Arbitraries.of(Base64.getEncoder(), Base64.getUrlEncoder(), Base64.getEncoder().withoutPadding(),
                                Base64.getMimeEncoder())).as((prefix, encoder) -> prefix + encoder.encodeToString(bytes)));
        return FuzzText.around(Arbitraries.oneOf(valid, base64));
    }

    @Provide
    Arbitrary<byte[]> rawKeys() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(32),
                Arbitraries.bytes().array(byte[].class).ofSize(32).map(raw -> {
                    raw[31] |= (byte) 0x80;
                    return raw;
                }),
                Arbitraries.just(PAIR.publicKey().text()).map(t -> Base64.getDecoder().decode(t.substring(5))));
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> id = FuzzText.around(Arbitraries.of("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "msg_1", "a.b"));
        Arbitrary<String> timestamp = FuzzText.around(Arbitraries.longs()
                .between(NOW.getEpochSecond() - 600, NOW.getEpochSecond() + 600).map(Object::toString));
        Arbitrary<String> signatureList = signature().list().ofMaxSize(4)
                .flatMap(list -> Arbitraries.of(" ", "  ", ",", "\t").map(sep -> String.join(sep, list)));
        Arbitrary<String> names = Arbitraries.of(WebhookHeaders.ID, WebhookHeaders.TIMESTAMP, WebhookHeaders.SIGNATURE,
                "Webhook-Id", "WEBHOOK-SIGNATURE", "webhook-timestamp ", "x-other");
        Arbitrary<byte[]> body = bodies();
        return Combinators.combine(id, timestamp, signatureList, body, names.list().ofMaxSize(3),
                Arbitraries.integers().between(0, 7))
                .as((i, t, s, b, extra, drop) -> {
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    if ((drop & 1) == 0) {
                        headers.put(WebhookHeaders.ID, List.of(i));
                    }
                    if ((drop & 2) == 0) {
                        headers.put(WebhookHeaders.TIMESTAMP, List.of(t));
                    }
                    if ((drop & 4) == 0) {
                        headers.put(WebhookHeaders.SIGNATURE, List.of(s));
                    }
                    for (String name : extra) {
                        List<String> values = new ArrayList<>(headers.getOrDefault(name, List.of()));
                        values.add(s);
                        headers.put(name, values);
                    }
                    return new Request(headers, b);
                });
    }

    private static Arbitrary<String> signature() {
        Arbitrary<String> v1 = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40)
                .map(bytes -> "v1," + Base64.getEncoder().encodeToString(bytes));
        Arbitrary<String> v1a = Arbitraries.bytes().array(byte[].class).ofMinSize(60).ofMaxSize(66)
                .map(bytes -> "v1a," + Base64.getEncoder().encodeToString(bytes));
        Arbitrary<String> highS = Arbitraries.just("v1a," + Base64.getEncoder().encodeToString(filled(64, 0xff)));
        Arbitrary<String> signed = Arbitraries.just(WebhookSigner.of(SECRET, PAIR)
                .sign("msg_1", NOW.getEpochSecond(), "{}".getBytes(StandardCharsets.UTF_8)).signature());
        return FuzzText.around(Arbitraries.frequencyOf(Tuple.of(3, v1), Tuple.of(3, v1a), Tuple.of(1, highS),
                Tuple.of(2, signed), Tuple.of(1, Arbitraries.of("v1,", "v1a,", "v2,abc", "v1", ","))));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(Arbitraries.just("{}".getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                FuzzText.any().map(text -> text.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<Duration> tolerances() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 10_000).map(Duration::ofSeconds),
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(Duration::ofSeconds),
                Arbitraries.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE - NOW.getEpochSecond()),
                        Duration.ofSeconds(Long.MAX_VALUE / 2), Duration.ofDays(365 * 100)));
    }

    @Provide
    Arbitrary<Long> skews() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-1000, 1000),
                Arbitraries.longs().between(-NOW.getEpochSecond(), 999_999_999_999L));
    }

    private static byte[] filled(int size, int value) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
