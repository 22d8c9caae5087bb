package io.irisx.voice.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.IrisxValidationException;
import java.time.Duration;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Flows built declaratively and checked when built — unknown branch targets, unreachable steps, empty gathers,
 * repeated ids, values out of range — and the rules of what follows each step, which every provider runs.
 */
class FlowTest {

    private static final Flow SUPPORT = SampleFlows.SUPPORT;

    private static Step step(String id) {
        return SUPPORT.step(id).orElseThrow();
    }

    private static Flow.Position at(String id, int attempt) {
        return new Flow.Position(step(id), attempt);
    }

    @Test
    void a_flow_keeps_its_steps_in_order_with_their_settings() {
        assertThat(SUPPORT.name()).isEqualTo("support");
        assertThat(SUPPORT.steps()).extracting(Step::id).containsExactly("welcome", "breath", "menu", "sales",
                "after-sales", "end", "voicemail", "goodbye", "survey");
        assertThat(SUPPORT.start()).isEqualTo(at("welcome", 1));
        assertThat(step("welcome")).isEqualTo(new Step.Say("welcome", new Prompt.Speech("Thanks for calling Acme & Co.",
                Optional.of("Polly.Amy"), Optional.of("en-GB"))));
        Step.Gather menu = (Step.Gather) step("menu");
        assertThat(menu.input()).isEqualTo(GatherInput.DIGITS);
        assertThat(menu.prompts()).containsExactly(Prompt.say("For sales, press 1. To leave a message, press 2."),
                Prompt.play("https://cdn.acme.example/chime.mp3"));
        assertThat(menu.branches()).containsExactly(java.util.Map.entry("1", "sales"), java.util.Map.entry("2",
                "voicemail"));
        assertThat(menu.numDigits()).isEqualTo(1);
        assertThat(menu.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(menu.maxRetries()).isEqualTo(2);
        assertThat(menu.otherwise()).contains("goodbye");
        assertThat(step("sales")).isEqualTo(new Step.Dial("sales", "+14155550100", Duration.ofSeconds(25),
                Optional.of("+14155550199")));
        assertThat(step("voicemail")).isEqualTo(new Step.Record("voicemail", Duration.ofMinutes(2), true, true,
                Optional.of("goodbye")));
        assertThat(SUPPORT.redirects()).containsExactly("survey");
        assertThat(SUPPORT.step("nowhere")).isEmpty();
    }

    @Test
    void each_step_is_followed_by_the_next_its_then_or_otherwise_and_a_hangup_or_redirect_by_nothing() {
        assertThat(SUPPORT.after(step("welcome"))).contains(at("breath", 1));
        assertThat(SUPPORT.after(step("breath"))).contains(at("menu", 1));
        assertThat(SUPPORT.after(step("menu"))).contains(at("goodbye", 1));
        assertThat(SUPPORT.after(step("sales"))).contains(at("after-sales", 1));
        assertThat(SUPPORT.after(step("end"))).isEmpty();
        assertThat(SUPPORT.after(step("voicemail"))).contains(at("goodbye", 1));
        assertThat(SUPPORT.after(step("goodbye"))).contains(at("survey", 1));
        assertThat(SUPPORT.after(step("survey"))).isEmpty();
        Flow plain = Flow.builder("plain").say("hello", "Hello.").record("message").build();
        assertThat(plain.after(plain.step("hello").orElseThrow())).contains(new Flow.Position(
                plain.step("message").orElseThrow(), 1));
        assertThat(plain.after(plain.step("message").orElseThrow())).as("past the last step").isEmpty();
    }

    @Test
    void a_gather_goes_to_its_branch_retries_on_no_or_invalid_input_then_goes_to_otherwise() {
        Step.Gather menu = (Step.Gather) step("menu");

        assertThat(SUPPORT.afterGather(menu, 1, "2", "")).contains(at("voicemail", 1));
        assertThat(SUPPORT.afterGather(menu, 3, "1", "")).contains(at("sales", 1));
        assertThat(SUPPORT.afterGather(menu, 1, "", "")).as("no input").contains(at("menu", 2));
        assertThat(SUPPORT.afterGather(menu, 2, "9", "")).as("invalid input").contains(at("menu", 3));
        assertThat(SUPPORT.afterGather(menu, 3, "", "")).as("retries run out").contains(at("goodbye", 1));
        assertThat(SUPPORT.afterGather(menu, 1, "", "one")).as("speech, to a digits gather").contains(at("menu", 2));
        Flow noOtherwise = Flow.builder("quick").gather("ask", gather -> gather.branch("1", "yes").maxRetries(0))
                .hangup("yes").build();
        Step.Gather ask = (Step.Gather) noOtherwise.step("ask").orElseThrow();
        assertThat(noOtherwise.afterGather(ask, 1, "", "")).contains(new Flow.Position(
                noOtherwise.step("yes").orElseThrow(), 1));
        assertThatIllegalArgumentException().isThrownBy(() -> SUPPORT.afterGather(menu, 0, "1", ""));
        assertThatIllegalArgumentException().isThrownBy(() -> SUPPORT.afterGather(ask, 1, "1", ""))
                .withMessageContaining("not a step of flow support");
    }

    @Test
    void speech_names_a_branch_by_a_phrase_it_contains_in_any_case_and_punctuation() {
        Flow flow = Flow.builder("voice-menu")
                .gather("ask", gather -> gather.input(GatherInput.DIGITS_AND_SPEECH).say("Sales or billing?")
                        .branch("1", "sales").branch("sales", "sales").branch("billing support", "billing"))
                .hangup("sales").hangup("billing").build();
        Step.Gather ask = (Step.Gather) flow.step("ask").orElseThrow();

        assertThat(ask.target("", "Sales, please.")).contains("sales");
        assertThat(ask.target("", "I need BILLING support!")).contains("billing");
        assertThat(ask.target("", "billing")).as("half a phrase").isEmpty();
        assertThat(ask.target("", "wholesale")).as("part of a word").isEmpty();
        assertThat(ask.target("1", "")).contains("sales");
        Flow digitsOnly = Flow.builder("d").gather("ask", gather -> gather.branch("1", "x")).hangup("x").build();
        assertThat(((Step.Gather) digitsOnly.step("ask").orElseThrow()).target("", "1")).as("speech not listened for")
                .isEmpty();
    }

    @Test
    void a_branch_to_no_step_is_refused_naming_the_step_field_and_target() {
        InvalidFlowException refused = refusal(() -> Flow.builder("support")
                .gather("menu", gather -> gather.branch("1", "salez")).hangup("sales").build());

        assertThat(refused.flow()).isEqualTo("support");
        assertThat(refused.step()).contains("menu");
        assertThat(refused.field()).isEqualTo("steps[menu].branches[1]");
        assertThat(refused.rejectedValue()).isEqualTo("salez");
        assertThat(refused).hasMessage("steps[menu].branches[1]: 'salez' names no step of the flow; its steps are"
                + " [menu, sales] (flow 'support')");
        assertThat(refusal(() -> Flow.builder("f").gather("menu", gather -> gather.branch("1", "end")
                .otherwise("nowhere")).hangup("end").build()).field()).isEqualTo("steps[menu].otherwise");
        assertThat(refusal(() -> Flow.builder("f").record("message", record -> record.then("nowhere")).build())
                .field()).isEqualTo("steps[message].then");
    }

    @Test
    void a_step_no_path_reaches_is_refused() {
        InvalidFlowException refused = refusal(() -> Flow.builder("support").say("hello", "Hello.").hangup("bye")
                .say("orphan", "Nobody hears this.").build());

        assertThat(refused.step()).contains("orphan");
        assertThat(refused).hasMessageContaining("steps[orphan]: 'orphan' is unreachable");
        // After a redirect nothing follows either, and a gather with an otherwise does not fall through.
        assertThat(refusal(() -> Flow.builder("f").redirect("away", "other").say("x", "x").build()).step())
                .contains("x");
        assertThat(refusal(() -> Flow.builder("f").gather("g", gather -> gather.branch("1", "a").otherwise("a"))
                .say("skipped", "x").hangup("a").build()).step()).contains("skipped");
        // A step reached only by a branch, or only by a then, is reachable.
        assertThat(Flow.builder("f").gather("g", gather -> gather.branch("1", "c").otherwise("d"))
                .record("c", record -> record.then("d")).hangup("d").build().steps()).hasSize(3);
    }

    @Test
    void an_empty_gather_and_an_empty_flow_are_refused() {
        InvalidFlowException empty = refusal(() -> Flow.builder("f").gather("menu", gather -> gather.say("Hi"))
                .build());
        assertThat(empty.field()).isEqualTo("steps[menu].branches");
        assertThat(empty).hasMessageContaining("a gather needs at least one branch");
        assertThat(refusal(() -> Flow.builder("f").build())).hasMessageContaining("a flow needs at least one step");
    }

    @Test
    void ids_and_values_are_refused_as_they_are_given_naming_the_step_and_field() {
        assertThat(refusal(() -> Flow.builder("f").say("hello", "Hi").say("hello", "Again")).field())
                .isEqualTo("steps[hello].id");
        assertThat(refusal(() -> Flow.builder("f").say("two words", "Hi")).field()).isEqualTo("steps[0].id");
        assertThat(refusal(() -> Flow.builder("f").say("s", " ")).field()).isEqualTo("steps[s].text");
        assertThat(refusal(() -> Flow.builder("f").say("s", "x".repeat(4097))).field()).isEqualTo("steps[s].text");
        assertThat(refusal(() -> Flow.builder("f").play("p", "http://cdn.acme.example/a.mp3")).field())
                .isEqualTo("steps[p].url");
        assertThat(refusal(() -> Flow.builder("f").pause("p", Duration.ofSeconds(601))).field())
                .isEqualTo("steps[p].length");
        assertThat(refusal(() -> Flow.builder("f").dial("d", "020 7946 0123")).field()).isEqualTo("steps[d].number");
        assertThat(refusal(() -> Flow.builder("f").dial("d", "+14155550100", dial -> dial.callerId("nobody")))
                .field()).isEqualTo("steps[d].callerId");
        assertThat(refusal(() -> Flow.builder("f").dial("d", "+14155550100", dial -> dial.timeout(Duration.ofSeconds(4))))
                .field()).isEqualTo("steps[d].timeout");
        assertThat(refusal(() -> Flow.builder("f").record("r", record -> record.maxLength(Duration.ofHours(5))))
                .field()).isEqualTo("steps[r].maxLength");
        assertThat(refusal(() -> Flow.builder("f").redirect("r", "no such flow")).field()).isEqualTo("steps[r].flow");
        assertThat(refusal(() -> Flow.builder("f").gather("g", gather -> gather.numDigits(33))).field())
                .isEqualTo("steps[g].numDigits");
        assertThat(refusal(() -> Flow.builder("f").gather("g", gather -> gather.timeout(Duration.ofSeconds(61))))
                .field()).isEqualTo("steps[g].timeout");
        assertThat(refusal(() -> Flow.builder("f").gather("g", gather -> gather.maxRetries(11))).field())
                .isEqualTo("steps[g].maxRetries");
        assertThat(refusal(() -> Flow.builder("f").gather("g", gather -> gather.branch("1", "a").branch("1", "b")))
                .field()).isEqualTo("steps[g].branches[1]");
        assertThat(refusal(() -> Flow.builder("f").gather("g", gather -> gather.say("x").say(" "))).field())
                .isEqualTo("steps[g].prompts");
    }

    @Test
    void a_branch_must_be_an_input_the_gather_can_receive() {
        InvalidFlowException words = refusal(() -> Flow.builder("f").gather("g", gather -> gather.branch("sales", "x")));
        assertThat(words).hasMessageContaining("listens for digits only");
        assertThat(words.field()).isEqualTo("steps[g].branches[sales]");
        assertThat(refusal(() -> Flow.builder("f").gather("g", gather -> gather.input(GatherInput.SPEECH)
                .branch("#", "x")))).hasMessageContaining("listens for speech only");
        assertThat(refusal(() -> Flow.builder("f").gather("g", gather -> gather.numDigits(1).branch("12", "x"))))
                .hasMessageContaining("can never be pressed");
    }

    @Test
    void a_builder_builds_again_and_flows_of_the_same_steps_are_equal() {
        Flow.Builder builder = Flow.builder("f").say("a", "A.");
        Flow first = builder.build();
        Flow second = builder.build();
        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second).isNotSameAs(second);
        assertThat(first.steps()).isUnmodifiable();
        assertThat(first).hasToString("Flow[f, 1 steps]");
        assertThat(catchThrowableOfType(IrisxValidationException.class, () -> Flow.builder("bad name")).field())
                .isEqualTo("name");
    }

    private static InvalidFlowException refusal(ThrowingCallable build) {
        InvalidFlowException refused = catchThrowableOfType(InvalidFlowException.class, build);
        assertThat(refused).as("an InvalidFlowException").isNotNull();
        return refused;
    }
}
