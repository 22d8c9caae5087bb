package io.irisx.webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.id.EndpointId;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.webhooks.internal.store.EndpointRules;
import io.irisx.webhooks.internal.store.WebhookStore;
import io.irisx.webhooks.signing.WebhookSecret;
import io.irisx.webhooks.ssrf.SsrfGuard;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Creating, listing, changing, disabling, rotating and deleting endpoints, on each database. */
@OnEachDialect
class EndpointsTest extends WebhooksFixture {

    @Test
    @DisplayName("create stores every setting and hands out the secret once; get returns the same endpoint")
    void createStoresEverySetting() {
        CreatedEndpoint created = endpoints.create(EndpointSpec.builder("HTTPS://Hooks.Example.com:443/irisx")
                .description("orders service")
                .eventTypes("email.delivered", "sms.sent")
                .labels(List.of("prod", "team:orders"))
                .headers(Map.of("X-Api-Key", "abc 123"))
                .rateLimitPerSecond(10)
                .maxConcurrency(4)
                .build());

        Endpoint endpoint = created.endpoint();
        assertThat(endpoint.url()).isEqualTo(PUBLIC_URL);
        assertThat(endpoint.description()).isEqualTo("orders service");
        assertThat(endpoint.eventTypes()).containsExactlyInAnyOrder("email.delivered", "sms.sent");
        assertThat(endpoint.labels()).containsExactlyInAnyOrder("prod", "team:orders");
        assertThat(endpoint.headers()).isEqualTo(Map.of("X-Api-Key", "abc 123"));
        assertThat(endpoint.rateLimitPerSecond()).hasValue(10);
        assertThat(endpoint.maxConcurrency()).hasValue(4);
        assertThat(endpoint.disabled()).isFalse();
        assertThat(endpoint.createdAt()).isEqualTo(START);
        assertThat(created.secret().reveal()).startsWith("whsec_");
        assertThat(created.toString()).doesNotContain(created.secret().reveal());
        assertThat(endpoints.get(endpoint.id())).isEqualTo(endpoint);
        assertThat(store.loadForDelivery(TENANT_A, endpoints.sendTest(endpoint.id()).id()).orElseThrow().secrets())
                .containsExactly(created.secret());
    }

    @Test
    @DisplayName("an endpoint with no filter receives every type; a given secret is the one stored")
    void defaultsAndGivenSecret() {
        WebhookSecret secret = WebhookSecret.generate();
        CreatedEndpoint created = endpoints.create(EndpointSpec.builder(PUBLIC_URL).secret(secret.reveal()).build());

        Endpoint endpoint = endpoints.get(created.endpoint().id());
        assertThat(endpoint.receivesAllEventTypes()).isTrue();
        assertThat(endpoint.receives("call.answered")).isTrue();
        assertThat(endpoint.description()).isEmpty();
        assertThat(endpoint.labels()).isEmpty();
        assertThat(endpoint.headers()).isEmpty();
        assertThat(endpoint.rateLimitPerSecond()).isEmpty();
        assertThat(endpoint.maxConcurrency()).isEmpty();
        assertThat(created.secret()).isEqualTo(secret);
    }

    @Test
    @DisplayName("the event catalogue lists every EventType with its description")
    void eventTypesAreListed() {
        List<EventTypeInfo> types = endpoints.eventTypes();

        assertThat(types).hasSizeGreaterThanOrEqualTo(25);
        assertThat(types).extracting(EventTypeInfo::name)
                .contains("email.delivered", "sms.received", "call.completed", "webhook.test").isSorted();
        assertThat(types).filteredOn(type -> type.name().equals("email.bounced"))
                .singleElement().extracting(EventTypeInfo::description).isEqualTo("The email bounced.");
    }

    @Test
    @DisplayName("starting a second store on the same database keeps the catalogue as it is")
    void catalogueIsUpsertedAgain() {
        List<EventTypeInfo> before = store.eventTypes();

        WebhookStore.create(database, sealer, clock);

        assertThat(store.eventTypes()).isEqualTo(before);
    }

    static Stream<Arguments> badSpecs() {
        Function<EndpointSpec.Builder, EndpointSpec.Builder> none = builder -> builder;
        return Stream.of(
                arguments("not a URL", "not a url", none, "url", "not a url"),
                arguments("another scheme", "ftp://hooks.example.com/x", none, "url", "ftp://hooks.example.com/x"),
                arguments("a private address", "http://10.0.0.5/hook", none, "url", "http://10.0.0.5/hook"),
                arguments("a name meaning a private address", "https://internal.example.com/hook", none, "url",
                        "https://internal.example.com/hook"),
                arguments("credentials in the URL", "https://user:pw@hooks.example.com/", none, "url",
                        "https://***@hooks.example.com/"),
                arguments("an unknown event type", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.eventTypes("email.sent",
                                "email.exploded"), "eventTypes", "email.exploded"),
                arguments("a malformed event type", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.eventTypes("Email Sent"),
                        "eventTypes", "Email Sent"),
                arguments("CR LF in a header value", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(
                                Map.of("X-Evil", "a\r\nX-Injected: 1")), "headers.X-Evil", "a\r\nX-Injected: 1"),
                arguments("NUL in a header value", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(
                                Map.of("X-Nul", "a\0b")), "headers.X-Nul", "a\0b"),
                arguments("a space in a header name", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(Map.of("Bad Name", "x")),
                        "headers", "Bad Name"),
                arguments("a webhook-* header", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(
                                Map.of("Webhook-Signature", "v1,forged")), "headers", "Webhook-Signature"),
                arguments("a Content-Type header", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(
                                Map.of("Content-Type", "text/plain")), "headers", "Content-Type"),
                arguments("a Host header", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(Map.of("host", "x")),
                        "headers", "host"),
                arguments("a Content-Length header", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(
                                Map.of("Content-Length", "1")), "headers", "Content-Length"),
                arguments("a zero rate limit", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.rateLimitPerSecond(0),
                        "rateLimitPerSecond", "0"),
                arguments("a non-ASCII letter in a header value", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(
                                Map.of("X-Customer", "Zoë")), "headers.X-Customer", "Zoë"),
                arguments("a DEL in a header value", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(
                                Map.of("X-Customer", "a\u007fb")), "headers.X-Customer", "a\u007fb"),
                arguments("an Authorization header with a line break, its value hidden", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.headers(
                                Map.of("Authorization", "Bearer sk_live_1\r\nX: y")), "headers.Authorization", "****"),
                arguments("a bad label", PUBLIC_URL,
                        (Function<EndpointSpec.Builder, EndpointSpec.Builder>) b -> b.labels(List.of("no spaces")),
                        "labels", "no spaces"));
    }

    @ParameterizedTest(name = "{0} is refused, naming the field")
    @MethodSource("badSpecs")
    void badInputIsRefusedAndNothingStored(String caseName, String url,
            Function<EndpointSpec.Builder, EndpointSpec.Builder> settings, String field, String value) {
        assertThatThrownBy(() -> endpoints.create(settings.apply(EndpointSpec.builder(url)).build()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.rejectedValue()).isEqualTo(value);
                });
        assertThat(count("irisx_webhook_endpoints")).isZero();
    }

    @Test
    @DisplayName("a header OkHttp would refuse at delivery is refused at registration and at update, and no other")
    void headersMatchWhatTheHttpClientSends() {
        for (char c = 0; c < 0x3000; c++) {
            String value = "a" + c + "b";
            boolean sendable;
            try {
                new okhttp3.Headers.Builder().add("X-Customer", value);
                sendable = true;
            } catch (IllegalArgumentException refused) {
                sendable = false;
            }
            boolean accepted;
            try {
                EndpointRules.headers(Map.of("X-Customer", value));
                accepted = true;
            } catch (IrisxValidationException refused) {
                accepted = false;
            }
            assertThat(accepted).as("U+%04X", (int) c).isEqualTo(sendable);
        }
        assertThatThrownBy(() -> EndpointUpdate.builder().headers(Map.of("X-Customer", "Zoë")))
                .isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("headers.X-Customer"));
        assertThatThrownBy(() -> EndpointUpdate.builder().headers(Map.of("Authorization", "Basic Zoë")))
                .isInstanceOf(IrisxValidationException.class).hasMessageContaining("****")
                .hasMessageNotContaining("Basic");
    }

    @Test
    @DisplayName("after the runtime is closed, creating or listing endpoints is refused and nothing is stored")
    void closedRuntimeRefusesEndpointCalls() {
        io.irisx.core.Irisx irisx = io.irisx.core.Irisx.builder().dataSource(database.dataSource())
                .sealingKeys(io.irisx.core.secret.SealingKeys.generate("k1")).clock(clock)
                .install(WebhooksModule.builder().sendOnly()
                        .ssrfPolicy(io.irisx.webhooks.ssrf.SsrfPolicy.builder().allow("127.0.0.0/8").build()).build())
                .build();
        String url = "http://127.0.0.1:9/irisx";
        WebhookEndpoints onRuntime = WebhookEndpoints.of(irisx.tenant(TENANT_A));
        onRuntime.create(EndpointSpec.builder(url).build());
        irisx.close();

        assertThatThrownBy(() -> onRuntime.create(EndpointSpec.builder(url).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("this Irisx runtime is closed");
        assertThatThrownBy(() -> onRuntime.list(EndpointFilter.all(), PageRequest.first()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("this Irisx runtime is closed");
        assertThat(count("irisx_webhook_endpoints")).isEqualTo(1);
    }

    @Test
    @DisplayName("a secret that cannot be read is refused without showing it")
    void badSecretIsRedacted() {
        String secret = "whsec_this is not base64!";

        assertThatThrownBy(() -> EndpointSpec.builder(PUBLIC_URL).secret(secret))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("secret");
                    assertThat(e.getMessage()).doesNotContain("this is not base64");
                });
    }

    @Test
    @DisplayName("a given secret shorter than 24 bytes is refused, at creation and at rotation, naming its length only")
    void shortGivenSecretsAreRefused() {
        EndpointId id = createEndpoint().endpoint().id();
        for (int bytes : new int[] {4, 5, 23}) {
            String text = secretOf(bytes);
            String shown = "secret: 'whsec_**** (" + bytes + " bytes)' is too short";
            List<ThrowingCallable> calls = List.of(
                    () -> EndpointSpec.builder(PUBLIC_URL).secret(text),
                    () -> EndpointSpec.builder(PUBLIC_URL).secret(WebhookSecret.parse(text)),
                    () -> SecretRotation.to(text),
                    () -> new SecretRotation(Optional.of(WebhookSecret.parse(text)), Duration.ZERO));
            for (ThrowingCallable call : calls) {
                assertThatThrownBy(call).isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("secret");
                    assertThat(e.getMessage()).startsWith(shown).contains("this one holds " + bytes)
                            .doesNotContain(text.substring(WebhookSecret.PREFIX.length()));
                });
            }
        }
        assertThat(count("irisx_webhook_endpoints")).isEqualTo(1);

        WebhookSecret shortest = WebhookSecret.parse(secretOf(24));
        assertThat(endpoints.create(EndpointSpec.builder(PUBLIC_URL).secret(shortest).build()).secret()).isEqualTo(shortest);
        assertThat(endpoints.rotateSecret(id, SecretRotation.to(shortest.reveal()))).isEqualTo(shortest);
    }

    /** A secret's text holding {@code bytes} bytes. */
    private static String secretOf(int bytes) {
        byte[] key = new byte[bytes];
        Arrays.fill(key, (byte) 'k');
        return WebhookSecret.PREFIX + Base64.getEncoder().encodeToString(key);
    }

    @Test
    @DisplayName("the default SSRF guard refuses loopback; allowing 127.0.0.0/8 lets it in, but no other private range")
    void loopbackOnlyWhenAllowed() {
        WebhookEndpoints strict = WebhookEndpoints.forTenant(TENANT_A, store, outbox,
                SsrfGuard.create(SsrfPolicy.defaults(), DNS));

        assertThatThrownBy(() -> strict.create(EndpointSpec.builder("http://127.0.0.1:8080/hook").build()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("url"))
                .hasMessageContaining("127.0.0.1");
        assertThat(endpoints.create(EndpointSpec.builder("http://127.0.0.1:8080/hook").build()).endpoint().url())
                .isEqualTo("http://127.0.0.1:8080/hook");
        assertThatThrownBy(() -> endpoints.create(EndpointSpec.builder("http://192.168.1.1/hook").build()))
                .isInstanceOf(IrisxValidationException.class);
        assertThat(count("irisx_webhook_endpoints")).isEqualTo(1);
    }

    @Test
    @DisplayName("list pages by cursor in creation order and filters on disabled and event type")
    void listPagesAndFilters() {
        EndpointId all = createEndpoint().endpoint().id();
        EndpointId email = createEndpoint("email.delivered").endpoint().id();
        EndpointId sms = createEndpoint("sms.sent").endpoint().id();
        EndpointId off = createEndpoint("email.delivered").endpoint().id();
        EndpointId last = createEndpoint().endpoint().id();
        endpoints.disable(off, "paused");

        Page<Endpoint> first = endpoints.list(EndpointFilter.all(), PageRequest.first(2));
        Page<Endpoint> second = endpoints.list(EndpointFilter.all(), PageRequest.after(first.nextCursor().get(), 2));
        Page<Endpoint> third = endpoints.list(EndpointFilter.all(), PageRequest.after(second.nextCursor().get(), 2));

        assertThat(first.items()).extracting(Endpoint::id).containsExactly(all, email);
        assertThat(second.items()).extracting(Endpoint::id).containsExactly(sms, off);
        assertThat(third.items()).extracting(Endpoint::id).containsExactly(last);
        assertThat(third.hasMore()).isFalse();
        assertThat(endpoints.list(EndpointFilter.disabledOnly(), PageRequest.first()).items())
                .extracting(Endpoint::id).containsExactly(off);
        assertThat(endpoints.list(EndpointFilter.enabled().receiving("email.delivered"), PageRequest.first()).items())
                .extracting(Endpoint::id).containsExactly(all, email, last);
        assertThat(endpoints.list(EndpointFilter.all().receiving("sms.sent"), PageRequest.first()).items())
                .extracting(Endpoint::id).containsExactly(all, sms, last);
        assertThatThrownBy(() -> endpoints.list(EndpointFilter.all(), PageRequest.after("msg_nope", 2)))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("after"));
    }

    @Test
    @DisplayName("update changes only what it sets, checked as at creation, and nothing when refused")
    void updateIsPartialAndChecked() {
        Endpoint created = endpoints.create(EndpointSpec.builder(PUBLIC_URL).description("v1").eventTypes("sms.sent")
                .headers(Map.of("X-A", "1")).rateLimitPerSecond(5).build()).endpoint();
        clock.advance(Duration.ofMinutes(1));

        Endpoint updated = endpoints.update(created.id(), EndpointUpdate.builder()
                .url("https://other.example.com/v2").allEventTypes().noRateLimit().build());

        assertThat(updated.url()).isEqualTo("https://other.example.com/v2");
        assertThat(updated.receivesAllEventTypes()).isTrue();
        assertThat(updated.rateLimitPerSecond()).isEmpty();
        assertThat(updated.description()).isEqualTo("v1");
        assertThat(updated.headers()).isEqualTo(Map.of("X-A", "1"));
        assertThat(updated.createdAt()).isEqualTo(START);
        assertThat(updated.updatedAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(endpoints.get(created.id())).isEqualTo(updated);

        assertThatThrownBy(() -> endpoints.update(created.id(), EndpointUpdate.builder()
                .description("v3").url("http://169.254.169.254/latest").build()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("url"));
        assertThatThrownBy(() -> endpoints.update(created.id(), EndpointUpdate.builder()
                .description("v3").eventTypes("sms.teleported").build()))
                .isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.rejectedValue()).isEqualTo("sms.teleported"));
        assertThatThrownBy(() -> EndpointUpdate.builder().headers(Map.of("Webhook-Id", "x")))
                .isInstanceOf(IrisxValidationException.class);
        assertThat(endpoints.get(created.id())).isEqualTo(updated);
    }

    @Test
    @DisplayName("delete removes the endpoint and its messages; an unknown id is not found")
    void deleteRemovesEndpointAndMessages() {
        EndpointId id = createEndpoint().endpoint().id();
        endpoints.sendTest(id);

        endpoints.delete(id);

        assertThatThrownBy(() -> endpoints.get(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpoints.delete(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpoints.update(id, EndpointUpdate.builder().description("x").build()))
                .isInstanceOf(NotFoundException.class);
        assertThat(count("irisx_webhook_messages")).isZero();
    }

    @Test
    @DisplayName("disable keeps its first reason and time; enable clears them and the failure record")
    void disableAndEnable() {
        EndpointId id = createEndpoint().endpoint().id();
        store.markEndpointFailure(TENANT_A, id);

        Endpoint disabled = endpoints.disable(id, "maintenance");
        clock.advance(Duration.ofMinutes(5));
        Endpoint again = endpoints.disable(id, "another reason");

        assertThat(disabled.disabled()).isTrue();
        assertThat(disabled.disabledReason()).contains("maintenance");
        assertThat(disabled.disabledAt()).contains(START);
        assertThat(again).isEqualTo(disabled);
        assertThatThrownBy(() -> endpoints.disable(id, " ")).isInstanceOf(IrisxValidationException.class);

        Endpoint enabled = endpoints.enable(id);

        assertThat(enabled.disabled()).isFalse();
        assertThat(enabled.disabledReason()).isEmpty();
        assertThat(enabled.disabledAt()).isEmpty();
        assertThat(enabled.failingSince()).isEmpty();
        assertThat(enabled.failureCount()).isZero();
        assertThat(endpoints.enable(id)).isEqualTo(enabled);
    }

    @Test
    @DisplayName("after a rotation both secrets sign until the grace ends, then only the new one")
    void rotationKeepsThePreviousSecretForTheGrace() {
        CreatedEndpoint created = createEndpoint();
        EndpointId id = created.endpoint().id();
        var message = endpoints.sendTest(id).id();

        WebhookSecret rotated = endpoints.rotateSecret(id);

        assertThat(rotated).isNotEqualTo(created.secret());
        assertThat(store.loadForDelivery(TENANT_A, message).orElseThrow().secrets())
                .containsExactly(rotated, created.secret());
        clock.advance(Duration.ofHours(23));
        assertThat(store.loadForDelivery(TENANT_A, message).orElseThrow().secrets()).hasSize(2);
        clock.advance(Duration.ofHours(1));
        assertThat(store.loadForDelivery(TENANT_A, message).orElseThrow().secrets()).containsExactly(rotated);

        WebhookSecret given = WebhookSecret.generate();
        assertThat(endpoints.rotateSecret(id, SecretRotation.to(given.reveal()).withGrace(Duration.ofMinutes(10))))
                .isEqualTo(given);
        assertThat(store.loadForDelivery(TENANT_A, message).orElseThrow().secrets()).containsExactly(given, rotated);
        clock.advance(Duration.ofMinutes(10));
        assertThat(store.loadForDelivery(TENANT_A, message).orElseThrow().secrets()).containsExactly(given);
    }

    @Test
    @DisplayName("another tenant can neither see nor change an endpoint or its messages")
    void tenantsAreIsolated() {
        CreatedEndpoint created = endpoints.create(EndpointSpec.builder(PUBLIC_URL).description("A's").build());
        Endpoint endpoint = created.endpoint();
        EndpointId id = endpoint.id();
        var message = endpoints.sendTest(id).id();
        EndpointId theirs = endpointsB.create(EndpointSpec.builder(PUBLIC_URL).build()).endpoint().id();

        assertThatThrownBy(() -> endpointsB.get(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.update(id, EndpointUpdate.builder().description("B's").build()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.delete(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.disable(id, "no")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.enable(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.rotateSecret(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.rotateSecret(id, SecretRotation.to(WebhookSecret.generate().reveal())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.sendTest(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.messages(id, MessageFilter.all(), PageRequest.first()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.recoverSince(id, START)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.stats(id, START, START.plusSeconds(1)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.message(message)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.attempts(message, PageRequest.first()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpointsB.retryNow(message)).isInstanceOf(NotFoundException.class);
        assertThat(endpointsB.list(EndpointFilter.all(), PageRequest.first()).items()).extracting(Endpoint::id)
                .containsExactly(theirs);
        assertThat(endpointsB.messages(theirs, MessageFilter.all(), PageRequest.first()).items()).isEmpty();
        assertThat(endpointsB.stats(START, START.plusSeconds(1)).totalMessages()).isZero();
        assertThat(store.loadForDelivery(TENANT_B, message)).isEmpty();
        assertThatThrownBy(() -> store.disableEndpoint(TENANT_B, id, "no")).isInstanceOf(NotFoundException.class);

        assertThat(endpoints.get(id)).isEqualTo(endpoint);
        assertThat(endpoints.list(EndpointFilter.all(), PageRequest.first()).items()).extracting(Endpoint::id)
                .containsExactly(id);
        assertThat(endpoints.message(message).status()).isEqualTo(MessageStatus.PENDING);
        assertThat(store.loadForDelivery(TENANT_A, message).orElseThrow().secrets()).containsExactly(created.secret());
        assertThat(outboxRows()).hasSize(1);
    }

    @Test
    @DisplayName("specs and updates check their values when set, and print no secret")
    void buildersCheckAtOnce() {
        WebhookSecret secret = WebhookSecret.generate();
        EndpointSpec spec = EndpointSpec.builder(PUBLIC_URL).secret(secret).build();

        assertThat(spec.toString()).doesNotContain(secret.reveal()).contains("secret=given");
        assertThat(spec.secret()).contains(secret);
        assertThat(EndpointUpdate.builder().build().isEmpty()).isTrue();
        assertThat(EndpointUpdate.builder().maxConcurrency(3).build().maxConcurrency())
                .contains(OptionalInt.of(3));
        assertThatThrownBy(() -> EndpointSpec.builder(PUBLIC_URL).maxConcurrency(0))
                .isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("maxConcurrency"));
        assertThatThrownBy(() -> EndpointSpec.builder(PUBLIC_URL).headers(Map.of("X-A", "1", "x-a", "2")))
                .isInstanceOf(IrisxValidationException.class).hasMessageContaining("twice");
        assertThat(EndpointSpec.builder(PUBLIC_URL).eventTypes(Set.of()).build().eventTypes()).isEmpty();
    }
}
