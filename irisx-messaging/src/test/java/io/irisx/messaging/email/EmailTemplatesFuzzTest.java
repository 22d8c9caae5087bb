package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.TenantId;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random template sources saved with {@link EmailTemplates#save} and rendered with random variables, on an H2 store:
 * a source is saved or refused with an {@link IrisxValidationException}, and whatever was saved renders, or refuses
 * the variables with one, in a preview and in a send.
 */
class EmailTemplatesFuzzTest {

    private static final List<Class<? extends Throwable>> INVALID = List.of(IrisxValidationException.class);

    private MessagingFixture fixture;
    private EmailClient strict;
    private EmailClient lenient;

    @BeforeProperty
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        strict = fixture.emailClient("acme");
        lenient = EmailClient.builder().allowMissingVariables(true)
                .build(fixture.emailStore, fixture.irisx.outbox(), TenantId.of("acme"));
    }

    @AfterProperty
    void stop() {
        fixture.close();
    }

    @Property(tries = 500)
    void a_saved_template_renders_or_refuses_the_variables(@ForAll("sources") String subject,
            @ForAll("sources") String text, @ForAll("sources") String html, @ForAll("variables") Map<String, Object> vars) {
        boolean saved = DocumentedFailures.only(() -> strict.templates().save("t", subject, text, html), INVALID)
                .isEmpty();
        // Enough sources are saved for the rendering to be tried, not only the checks at save.
        Statistics.collect(saved);
        Statistics.coverage(coverage -> coverage.check(true).percentage(p -> p >= 5));
        if (!saved) {
            return;
        }
        for (EmailClient client : List.of(strict, lenient)) {
            DocumentedFailures.only(() -> client.templates().preview("t", vars), INVALID);
            DocumentedFailures.only(() -> assertThat(client.send(EmailMessage.builder().from("billing@acme.example")
                    .to("ada@example.com").template("t", vars).build())).isNotNull(), INVALID);
        }
    }

    @Provide
    Arbitrary<String> sources() {
        Arbitrary<String> tag = Arbitraries.of("{{name}}", "{{{name}}}", "{{&name}}", "{{#items}}", "{{/items}}",
                "{{^name}}", "{{/name}}", "{{#name}}", "{{.}}", "{{plan.tier}}", "{{! note }}", "{{=<% %>=}}", "<%name%>",
                "{{-first}}", "{{this}}", "{{> part}}", "{{", "}}", "{{ }}", "{{a..b}}", "{{#items}}{{c}}{{/items}}",
                "{{#plan}}{{tier}}{{/plan}}", "{{name.length}}", "{{@index}}");
        Arbitrary<String> piece = Arbitraries.oneOf(tag, Arbitraries.of("Hello ", "<p>", "</p>", " ", "\n", "é", "\0",
                "😀", "\ud800", "s".repeat(1000)));
        Arbitrary<String> template = piece.list().ofMinSize(1).ofMaxSize(8).map(list -> String.join("", list));
        return FuzzText.around(template);
    }

    @Provide
    Arbitrary<Map<String, Object>> variables() {
        Arbitrary<String> name = Arbitraries.of("name", "items", "plan", "tier", "c", "a", "", "name.x", "x");
        Arbitrary<Object> value = Arbitraries.oneOf(FuzzText.any().map(v -> (Object) v),
                Arbitraries.integers().map(v -> (Object) v), Arbitraries.of(true, false),
                Arbitraries.just(List.of(Map.of("c", "y"), Map.of("c", "z"))), Arbitraries.just(Map.of("tier", "pro")),
                Arbitraries.just(List.of()), Arbitraries.just(new Object[] {"a", 1}), Arbitraries.just(Double.NaN),
                Arbitraries.just(List.of("\0")), Arbitraries.just("s".repeat(2000)));
        return Combinators.combine(name.list().ofMaxSize(5), value.list().ofMinSize(5).ofSize(5),
                        Arbitraries.integers().between(0, 5))
                .as((names, values, present) -> {
                    Map<String, Object> vars = new HashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        vars.put(names.get(i), i < present ? values.get(i) : null);
                    }
                    return vars;
                });
    }
}
