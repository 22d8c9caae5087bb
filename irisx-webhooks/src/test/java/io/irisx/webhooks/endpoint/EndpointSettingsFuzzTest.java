package io.irisx.webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.secret.Redaction;
import io.irisx.core.testing.FuzzText;
import io.irisx.webhooks.signing.WebhookSecret;
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
 * Random settings given to {@link EndpointSpec#builder(String)} and {@link EndpointUpdate#builder()}: each setter
 * takes the value or refuses it with an {@link IrisxValidationException}, and no refusal shows a password in a URL, a
 * credential header's value or a signing secret.
 */
class EndpointSettingsFuzzTest {

    private static final List<Class<? extends Throwable>> INVALID = List.of(IrisxValidationException.class);

    @Property(tries = 1000)
    void an_endpoint_spec_takes_each_setting_or_refuses_it_without_a_secret(@ForAll("settings") Settings s) {
        DocumentedFailures.only(() -> EndpointSpec.builder(s.url()).build(), INVALID, s.secrets());
        DocumentedFailures.only(() -> EndpointSpec.builder("https://hooks.acme.example/in").description(s.description())
                .eventTypes(s.eventTypes()).labels(s.labels()).headers(s.headers()).rateLimitPerSecond(s.number())
                .maxConcurrency(s.number()).secret(s.secret()).build().toString(), INVALID, s.secrets());
    }

    @Property(tries = 1000)
    void an_endpoint_update_takes_each_setting_or_refuses_it_without_a_secret(@ForAll("settings") Settings s) {
        DocumentedFailures.only(() -> EndpointUpdate.builder().url(s.url()).build(), INVALID, s.secrets());
        DocumentedFailures.only(() -> assertThat(EndpointUpdate.builder().description(s.description())
                .eventTypes(s.eventTypes()).labels(s.labels()).headers(s.headers()).rateLimitPerSecond(s.number())
                .maxConcurrency(s.number()).build().isEmpty()).isFalse(), INVALID, s.secrets());
    }

    /** One try's settings, and the secrets among them. */
    record Settings(String url, String description, List<String> eventTypes, List<String> labels,
            Map<String, String> headers, int number, String secret, List<String> secrets) {
    }

    @Provide
    Arbitrary<Settings> settings() {
        Arbitrary<String> password = FuzzText.secret();
        Arbitrary<String> secretBytes = Arbitraries.integers().between(0, 40)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .map(bytes -> "whsec_" + Base64.getEncoder().encodeToString(bytes));
        // A generated secret's base64 must never be shown; a mutated one is just text, which may be.
        Arbitrary<Tuple.Tuple2<String, Boolean>> secrets = Arbitraries.oneOf(secretBytes.map(s -> Tuple.of(s, true)),
                FuzzText.around(secretBytes).map(s -> Tuple.of(s, false)));
        return Combinators.combine(password, url(), description(), names().list().ofMaxSize(4),
                        labels().list().ofMaxSize(22), headerMaps(), Arbitraries.integers().between(-2, 100_002), secrets)
                .as((pw, url, description, types, labels, headers, number, given) -> {
                    String secret = given.get1();
                    String withSecret = url.replace("PASSWORD", pw);
                    Map<String, String> withCredential = new LinkedHashMap<>();
                    // Only a credential header's value is a secret: another header's value may be shown.
                    headers.forEach((name, value) -> withCredential.put(name,
                            value.replace("PASSWORD", Redaction.isSecretHeader(name) ? pw : "public")));
                    String key = given.get2() ? secret.substring(WebhookSecret.PREFIX.length()) : "";
                    boolean distinctive = key.chars().distinct().count() >= 8;
                    return new Settings(withSecret, description, types, labels, withCredential, number, secret,
                            distinctive ? List.of(pw, key) : List.of(pw));
                });
    }

    private static Arbitrary<String> url() {
        Arbitrary<String> realistic = Arbitraries.of("https://hooks.acme.example/in", "http://203.0.113.7:8080/x?a=b",
                "https://ada:PASSWORD@hooks.acme.example/in", "https://hooks.acme.example/in?token=PASSWORD",
                "https://hooks.acme.example/in?password=PASSWORD&x=" + "y".repeat(2100),
                "https://ada:PASSWORD@hooks.acme.example/" + "p".repeat(2100), "ftp://ada:PASSWORD@files.example/",
                "https://[::1]/", "https://hooks.acme.example:99999/", "mailto:ada@example.com");
        return FuzzText.around(realistic);
    }

    private static Arbitrary<String> description() {
        return FuzzText.around(Arbitraries.strings().ofMaxLength(1001));
    }

    private static Arbitrary<String> names() {
        return FuzzText.around(Arbitraries.of("email.delivered", "sms.received", "a", "x".repeat(100), "Email.Sent"));
    }

    private static Arbitrary<String> labels() {
        return FuzzText.around(Arbitraries.of("team:billing", "prod", "a.b-c_d", "x".repeat(64)));
    }

    private static Arbitrary<Map<String, String>> headerMaps() {
        Arbitrary<String> name = FuzzText.around(Arbitraries.of("Authorization", "X-Api-Key", "X-Client-Secret",
                "X-Request-Source", "Webhook-Id", "Content-Type", "x".repeat(101)));
        Arbitrary<String> value = FuzzText.around(Arbitraries.of("Bearer PASSWORD", "PASSWORD", "irisx", "a\tb",
                "PASSWORD\r\nX-Injected: 1", "PASSWORDé", "PASSWORD" + "v".repeat(1000)));
        return Arbitraries.maps(name, value).ofMaxSize(22);
    }
}
