package io.irisx.voice.flow;

import io.irisx.voice.internal.Checks;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An IVR flow: a name and a sequence of {@linkplain Step steps}, checked as a whole when built; immutable and
 * thread-safe. It holds no provider's markup, only steps and the rules of what follows each, so that every provider
 * runs the same flow: {@link #start()} is where a call begins, {@link #after} what follows a step that ran to its end,
 * {@link #afterGather} what follows a gather's input.
 *
 * <pre>{@code
 * Flow support = Flow.builder("support")
 *         .say("welcome", "Thanks for calling Acme.")
 *         .gather("menu", gather -> gather
 *                 .say("For sales, press 1. To leave a message, press 2.")
 *                 .numDigits(1)
 *                 .branch("1", "sales")
 *                 .branch("2", "voicemail")
 *                 .retryPrompt("Sorry, I did not get that.")
 *                 .maxRetries(2)
 *                 .otherwise("goodbye"))
 *         .dial("sales", "+14155550100")
 *         .hangup("after-sales")
 *         .record("voicemail", record -> record.maxLength(Duration.ofMinutes(2)).then("goodbye"))
 *         .say("goodbye", "Goodbye.")
 *         .build();
 * }</pre>
 *
 * <p>What follows each step: a say, play, pause or dial goes on to the next step; a record to its {@code then} step,
 * else the next; a gather to the branch its input names, else (after its retries) to its {@code otherwise} step, else
 * the next; a redirect leaves for another flow; a hang-up ends the call, and so does running past the last step.
 *
 * <p>{@link Builder#build()} refuses, with an {@link InvalidFlowException} naming the step and field, a flow without
 * steps, a branch or {@code then} or {@code otherwise} naming no step of the flow, a gather with no branch, and a step
 * no path from the first step reaches. Whether a redirect's flow exists is checked by the
 * {@link io.irisx.voice.VoiceModule} the flows are registered on.
 */
public final class Flow {

    /** The most steps a flow has. */
    public static final int MAX_STEPS = 200;

    private final String name;
    private final List<Step> steps;
    private final Map<String, Integer> index;

    private Flow(String name, List<Step> steps) {
        this.name = name;
        this.steps = List.copyOf(steps);
        Map<String, Integer> positions = new LinkedHashMap<>();
        for (int i = 0; i < this.steps.size(); i++) {
            positions.put(this.steps.get(i).id(), i);
        }
        this.index = Collections.unmodifiableMap(positions);
    }

    /**
     * A builder for the flow named {@code name}: 1-64 letters, digits, dots, underscores or hyphens.
     *
     * @throws io.irisx.core.IrisxValidationException naming {@code name} when it is not such a name
     */
    public static Builder builder(String name) {
        return new Builder(Checks.name("name", name));
    }

    /** The flow's name, by which calls and other flows name it. */
    public String name() {
        return name;
    }

    /** The steps, in order. */
    public List<Step> steps() {
        return steps;
    }

    /** The step of id {@code id}, if the flow has one. */
    public Optional<Step> step(String id) {
        Integer at = index.get(Objects.requireNonNull(id, "id"));
        return at == null ? Optional.empty() : Optional.of(steps.get(at));
    }

    /** Where a call begins: the first step, first attempt. */
    public Position start() {
        return new Position(steps.get(0), 1);
    }

    /**
     * What follows {@code step} once it ran to its end: for a say, play, pause or dial, the next step; for a record,
     * its {@code then} step, else the next; for a gather whose retries ran out, its {@code otherwise} step, else the
     * next. Empty when the call leaves the flow: after a hang-up or a redirect, or past the last step.
     *
     * @throws IllegalArgumentException when {@code step} is not a step of this flow
     */
    public Optional<Position> after(Step step) {
        int at = indexOf(step);
        return follower(step, next(at)).map(id -> new Position(steps.get(index.get(id)), 1));
    }

    /**
     * What follows attempt {@code attempt} of {@code gather} given the caller's input: the branch the input names;
     * else, while retries remain, the same gather's next attempt (its retry prompt first); else
     * {@link #after(Step) after(gather)}.
     *
     * @param gather a gather of this flow
     * @param attempt which attempt listened, from 1
     * @param digits the digits pressed, empty when none
     * @param speech the words recognised, empty when none
     * @throws IllegalArgumentException when {@code gather} is not a step of this flow or {@code attempt} is below 1
     */
    public Optional<Position> afterGather(Step.Gather gather, int attempt, String digits, String speech) {
        indexOf(gather);
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
        Optional<String> target = gather.target(digits, speech);
        if (target.isPresent()) {
            return Optional.of(new Position(steps.get(index.get(target.get())), 1));
        }
        if (attempt <= gather.maxRetries()) {
            return Optional.of(new Position(gather, attempt + 1));
        }
        return after(gather);
    }

    /** The flows this flow's redirect steps lead to. */
    public Set<String> redirects() {
        Set<String> flows = new LinkedHashSet<>();
        for (Step step : steps) {
            if (step instanceof Step.Redirect redirect) {
                flows.add(redirect.flow());
            }
        }
        return Collections.unmodifiableSet(flows);
    }

    /**
     * The id of the step that follows {@code step} once it ran to its end, given the id of the step listed after it:
     * the one rule {@link #after} and the builder's reachability check share.
     */
    static Optional<String> follower(Step step, Optional<String> next) {
        if (step instanceof Step.Hangup || step instanceof Step.Redirect) {
            return Optional.empty();
        }
        if (step instanceof Step.Record record) {
            return record.then().or(() -> next);
        }
        if (step instanceof Step.Gather gather) {
            return gather.otherwise().or(() -> next);
        }
        return next;
    }

    private Optional<String> next(int at) {
        return at + 1 < steps.size() ? Optional.of(steps.get(at + 1).id()) : Optional.empty();
    }

    private int indexOf(Step step) {
        Objects.requireNonNull(step, "step");
        Integer at = index.get(step.id());
        if (at == null || !steps.get(at).equals(step)) {
            throw new IllegalArgumentException("step " + step.id() + " is not a step of flow " + name);
        }
        return at;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Flow that && that.name.equals(name) && that.steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, steps);
    }

    @Override
    public String toString() {
        return "Flow[" + name + ", " + steps.size() + " steps]";
    }

    /**
     * Where a call stands in a flow: a step, and for a gather which attempt at listening it is (1 for every other
     * step); immutable.
     *
     * @param step the step
     * @param attempt the attempt, from 1
     */
    public record Position(Step step, int attempt) {
        /** Checks every field. */
        public Position {
            Objects.requireNonNull(step, "step");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
            }
        }
    }

    /**
     * Builds a {@link Flow}: each method adds one step after the others, checking its values at once; {@link #build()}
     * checks the flow as a whole. Each refusal is an {@link InvalidFlowException} naming the step and field. Not
     * thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final List<Step> steps = new ArrayList<>();
        private final Set<String> ids = new LinkedHashSet<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Adds a step speaking {@code text} in the provider's default voice and language. */
        public Builder say(String id, String text) {
            StepFields step = fields(id);
            return add(new Step.Say(id, step.checked("text", () -> Prompt.say(text))));
        }

        /** Adds a step speaking {@code speech}, in its voice and language. */
        public Builder say(String id, Prompt.Speech speech) {
            fields(id);
            return add(new Step.Say(id, Objects.requireNonNull(speech, "speech")));
        }

        /** Adds a step playing the audio at {@code url}, an https URL. */
        public Builder play(String id, String url) {
            StepFields step = fields(id);
            return add(new Step.Play(id, step.checked("url", () -> Prompt.play(url))));
        }

        /** Adds a step waiting in silence for {@code length}: whole seconds, 1 to 600. */
        public Builder pause(String id, Duration length) {
            StepFields step = fields(id);
            return add(new Step.Pause(id, step.checked("length", () -> Checks.seconds("length", length,
                    Duration.ofSeconds(1), Duration.ofSeconds(600)))));
        }

        /** Adds a gather, set up by {@code gather} (its prompts, input, branches and retries). */
        public Builder gather(String id, Consumer<GatherBuilder> gather) {
            fields(id);
            GatherBuilder builder = new GatherBuilder(name, id);
            Objects.requireNonNull(gather, "gather").accept(builder);
            return add(builder.build());
        }

        /** Adds a record step with the defaults (up to an hour, a beep, no transcription, then the next step). */
        public Builder record(String id) {
            return record(id, record -> { });
        }

        /** Adds a record step, set up by {@code record}. */
        public Builder record(String id, Consumer<RecordBuilder> record) {
            fields(id);
            RecordBuilder builder = new RecordBuilder(name, id);
            Objects.requireNonNull(record, "record").accept(builder);
            return add(builder.build());
        }

        /** Adds a step connecting the call to {@code number}, E.164, ringing it for 30 seconds. */
        public Builder dial(String id, String number) {
            return dial(id, number, dial -> { });
        }

        /** Adds a step connecting the call to {@code number}, E.164, set up by {@code dial}. */
        public Builder dial(String id, String number, Consumer<DialBuilder> dial) {
            fields(id);
            DialBuilder builder = new DialBuilder(name, id, number);
            Objects.requireNonNull(dial, "dial").accept(builder);
            return add(builder.build());
        }

        /** Adds a step leaving this flow for flow {@code flow} of the same module. */
        public Builder redirect(String id, String flow) {
            StepFields step = fields(id);
            return add(new Step.Redirect(id, step.checked("flow", () -> Checks.name("flow", flow))));
        }

        /** Adds a step ending the call. */
        public Builder hangup(String id) {
            fields(id);
            return add(new Step.Hangup(id));
        }

        /**
         * The flow; the builder may be used again.
         *
         * @throws InvalidFlowException when the flow has no step, a branch, {@code then} or {@code otherwise} names no
         *     step of the flow, a gather has no branch, or a step cannot be reached from the first
         */
        public Flow build() {
            if (steps.isEmpty()) {
                throw new InvalidFlowException(name, null, "steps", "[]", "is empty: a flow needs at least one step");
            }
            for (Step step : steps) {
                checkTargets(step);
            }
            Set<String> reached = reachable();
            for (Step step : steps) {
                if (!reached.contains(step.id())) {
                    throw new InvalidFlowException(name, step.id(), "steps[" + step.id() + "]", step.id(),
                            "is unreachable: no branch, then, otherwise or step before it leads to it from the first"
                                    + " step (" + steps.get(0).id() + ")");
                }
            }
            return new Flow(name, steps);
        }

        private StepFields fields(String id) {
            Objects.requireNonNull(id, "id");
            if (!Checks.NAME.matcher(id).matches()) {
                throw new InvalidFlowException(name, null, "steps[" + steps.size() + "].id", id, "must be 1-64 letters,"
                        + " digits, dots, underscores or hyphens, starting with a letter or digit");
            }
            if (ids.contains(id)) {
                throw new InvalidFlowException(name, id, "steps[" + id + "].id", id, "is the id of an earlier step:"
                        + " each step's id is unique in its flow");
            }
            if (steps.size() == MAX_STEPS) {
                throw new InvalidFlowException(name, id, "steps[" + id + "]", id, "is one more than the " + MAX_STEPS
                        + " steps a flow has");
            }
            return new StepFields(name, id);
        }

        private Builder add(Step step) {
            steps.add(step);
            ids.add(step.id());
            return this;
        }

        private void checkTargets(Step step) {
            if (step instanceof Step.Gather gather) {
                if (gather.branches().isEmpty()) {
                    throw new InvalidFlowException(name, gather.id(), "steps[" + gather.id() + "].branches", "{}",
                            "is empty: a gather needs at least one branch(input, step)");
                }
                gather.branches().forEach((input, target) ->
                        checkTarget(gather.id(), "branches[" + input + "]", target));
                gather.otherwise().ifPresent(target -> checkTarget(gather.id(), "otherwise", target));
            } else if (step instanceof Step.Record record) {
                record.then().ifPresent(target -> checkTarget(record.id(), "then", target));
            }
        }

        private void checkTarget(String id, String field, String target) {
            if (!ids.contains(target)) {
                throw new InvalidFlowException(name, id, "steps[" + id + "]." + field, target, "names no step of the"
                        + " flow; its steps are " + ids);
            }
        }

        /** The ids of the steps some path from the first step reaches. */
        private Set<String> reachable() {
            Map<String, Integer> at = new LinkedHashMap<>();
            for (int i = 0; i < steps.size(); i++) {
                at.put(steps.get(i).id(), i);
            }
            Set<String> reached = new LinkedHashSet<>();
            Deque<String> pending = new ArrayDeque<>(List.of(steps.get(0).id()));
            while (!pending.isEmpty()) {
                String id = pending.pop();
                if (!reached.add(id)) {
                    continue;
                }
                int i = at.get(id);
                Optional<String> next = i + 1 < steps.size() ? Optional.of(steps.get(i + 1).id()) : Optional.empty();
                Step step = steps.get(i);
                if (step instanceof Step.Gather gather) {
                    pending.addAll(gather.branches().values());
                }
                follower(step, next).ifPresent(pending::push);
            }
            return reached;
        }
    }
}
