package io.irisx.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.id.AttemptId;
import io.irisx.core.id.CallId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random text given to the id parsers, {@link TenantId} and {@link Envelope}: each returns a value that reads back
 * as given, or refuses the text with an {@link IrisxValidationException}.
 */
class IdsFuzzTest {

    private static final List<Class<? extends Throwable>> INVALID = List.of(IrisxValidationException.class);

    @Property(tries = 1000)
    void a_tenant_id_is_what_was_given_or_refused(@ForAll("tenantIds") String text) {
        DocumentedFailures.only(() -> assertThat(TenantId.of(text).value()).isEqualTo(text), INVALID);
    }

    @Property(tries = 1000)
    void an_id_parses_back_to_its_text_or_is_refused(@ForAll("ids") String text) {
        checkId(text, MessageId::parse, MessageId::value, id -> id.createdAt());
        checkId(text, EndpointId::parse, EndpointId::value, id -> id.createdAt());
        checkId(text, EventId::parse, EventId::value, id -> id.createdAt());
        checkId(text, AttemptId::parse, AttemptId::value, id -> id.createdAt());
        checkId(text, CallId::parse, CallId::value, id -> id.createdAt());
    }

    @Property(tries = 1000)
    void an_envelope_takes_a_payload_and_key_or_refuses_them(@ForAll("payloads") String payload,
            @ForAll("keys") String key) {
        DocumentedFailures.only(() -> {
            Envelope envelope = Envelope.of(TenantId.of("acme"), Channel.EMAIL, payload);
            assertThat(envelope.withIdempotencyKey(key).idempotencyKey()).isEqualTo(key);
            assertThat(envelope.toString()).doesNotContain(payload.length() > 20 ? payload : "\0\0\0");
        }, INVALID);
    }

    private static <T> void checkId(String text, Function<String, T> parse, Function<T, String> value,
            Function<T, Object> createdAt) {
        DocumentedFailures.only(() -> {
            T id = parse.apply(text);
            assertThat(value.apply(id)).isEqualTo(text);
            assertThat(createdAt.apply(id)).isNotNull();
        }, INVALID);
    }

    @Provide
    Arbitrary<String> tenantIds() {
        return FuzzText.around(Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("._-")
                .ofMinLength(1).ofMaxLength(70));
    }

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<String> generated = Arbitraries.of(MessageId.generate().value(), EndpointId.generate().value(),
                EventId.generate().value(), AttemptId.generate().value(), CallId.generate().value());
        Arbitrary<String> made = Arbitraries.of("msg_", "ep_", "evt_", "att_", "call_", "", "_", "msg", "MSG_")
                .flatMap(prefix -> Arbitraries.strings().withChars("0123456789abcdefghjkmnpqrstvwxyzilouILOU~é\0")
                        .ofMinLength(20).ofMaxLength(30).map(body -> prefix + body));
        return FuzzText.around(Arbitraries.oneOf(generated, made));
    }

    @Provide
    Arbitrary<String> payloads() {
        return Arbitraries.oneOf(FuzzText.any(), Arbitraries.of("{}", "{\"to\":\"ada@example.com\"}"),
                Arbitraries.integers().between(Envelope.MAX_PAYLOAD - 2, Envelope.MAX_PAYLOAD + 2).map("p"::repeat));
    }

    @Provide
    Arbitrary<String> keys() {
        return FuzzText.around(Arbitraries.strings().alpha().numeric().withChars("-_:").ofMinLength(1)
                .ofMaxLength(260));
    }
}
