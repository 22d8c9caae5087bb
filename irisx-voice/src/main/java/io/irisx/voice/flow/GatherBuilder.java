package io.irisx.voice.flow;

import io.irisx.voice.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The settings of one {@link Step.Gather}, given to {@link Flow.Builder#gather}; each setter checks its value at once,
 * throwing {@link InvalidFlowException} naming the step's field. Not thread-safe.
 */
public final class GatherBuilder {

    /** The most prompts a gather speaks. */
    public static final int MAX_PROMPTS = 10;
    /** The most branches a gather has. */
    public static final int MAX_BRANCHES = 32;
    /** The most retries a gather makes. */
    public static final int MAX_RETRIES = 10;

    private static final Pattern DIGITS = Pattern.compile("[0-9*#]{1,32}");

    private final StepFields step;
    private GatherInput input = GatherInput.DIGITS;
    private final List<Prompt> prompts = new ArrayList<>();
    private int numDigits;
    private Duration timeout = Duration.ofSeconds(5);
    private final Map<String, String> branches = new LinkedHashMap<>();
    private Prompt retryPrompt;
    private int maxRetries = 2;
    private String otherwise;

    GatherBuilder(String flow, String id) {
        this.step = new StepFields(flow, id);
    }

    /** What the gather listens for (default {@link GatherInput#DIGITS}). */
    public GatherBuilder input(GatherInput input) {
        this.input = Objects.requireNonNull(input, "input");
        return this;
    }

    /** Adds a prompt spoken while the gather listens; at most 10. */
    public GatherBuilder prompt(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        if (prompts.size() == MAX_PROMPTS) {
            throw refused("prompts", prompts.size() + 1, "is one more than the " + MAX_PROMPTS + " prompts a gather"
                    + " speaks");
        }
        prompts.add(prompt);
        return this;
    }

    /** Adds {@code text}, spoken in the provider's default voice, as a prompt. */
    public GatherBuilder say(String text) {
        return prompt(checked("prompts", () -> Prompt.say(text)));
    }

    /** Adds the audio at {@code url} as a prompt. */
    public GatherBuilder play(String url) {
        return prompt(checked("prompts", () -> Prompt.play(url)));
    }

    /** How many digits end the input at once, 1 to 32; by default the input ends on {@code #} or the timeout. */
    public GatherBuilder numDigits(int numDigits) {
        if (numDigits < 1 || numDigits > 32) {
            throw refused("numDigits", numDigits, "must be from 1 to 32");
        }
        this.numDigits = numDigits;
        return this;
    }

    /** How long the gather waits for input after its prompts: whole seconds, 1 to 60 (default 5). */
    public GatherBuilder timeout(Duration timeout) {
        this.timeout = checked("timeout", () -> Checks.seconds("timeout", timeout, Duration.ofSeconds(1),
                Duration.ofSeconds(60)));
        return this;
    }

    /**
     * Sends the call to step {@code target} when the input is {@code input}: digits ({@code "1"}, {@code "42#"}) or,
     * when the gather listens for speech, a phrase the caller's words must contain ({@code "sales"}); at most 32.
     */
    public GatherBuilder branch(String input, String target) {
        Objects.requireNonNull(input, "input");
        String field = "branches[" + input + "]";
        if (input.isBlank() || input.length() > 100 || input.chars().anyMatch(Character::isISOControl)) {
            throw refused(field, input, "must be 1-100 characters, not blank, with no control characters");
        }
        if (branches.containsKey(input)) {
            throw refused(field, input, "is given twice: each input leads to one step");
        }
        if (branches.size() == MAX_BRANCHES) {
            throw refused(field, input, "is one more than the " + MAX_BRANCHES + " branches a gather has");
        }
        branches.put(input, checked(field, () -> Checks.name(field, target)));
        return this;
    }

    /** What is said before listening again, after no input or invalid input. */
    public GatherBuilder retryPrompt(Prompt retryPrompt) {
        this.retryPrompt = Objects.requireNonNull(retryPrompt, "retryPrompt");
        return this;
    }

    /** {@code text}, spoken in the provider's default voice, before listening again. */
    public GatherBuilder retryPrompt(String text) {
        return retryPrompt(checked("retryPrompt", () -> Prompt.say(text)));
    }

    /** How many more times the gather listens after no input or invalid input: 0 to 10 (default 2). */
    public GatherBuilder maxRetries(int maxRetries) {
        if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
            throw refused("maxRetries", maxRetries, "must be from 0 to " + MAX_RETRIES);
        }
        this.maxRetries = maxRetries;
        return this;
    }

    /** The step the call goes to when the retries run out (default: the next step). */
    public GatherBuilder otherwise(String step) {
        this.otherwise = checked("otherwise", () -> Checks.name("otherwise", step));
        return this;
    }

    /** The step, its branches' inputs checked against what it listens for. */
    Step.Gather build() {
        for (String key : branches.keySet()) {
            boolean digits = DIGITS.matcher(key).matches();
            boolean phrase = !Step.Gather.words(key).isEmpty();
            if (!input.speech() && !digits) {
                throw refused("branches[" + key + "]", key, "is not digits (0-9, * and #, at most 32), and the"
                        + " gather listens for digits only");
            }
            if (!input.digits() && !phrase) {
                throw refused("branches[" + key + "]", key, "holds no word, and the gather listens for speech only");
            }
            if (digits && numDigits > 0 && key.length() != numDigits && input == GatherInput.DIGITS) {
                throw refused("branches[" + key + "]", key, "can never be pressed: the input ends after "
                        + numDigits + " digit(s)");
            }
        }
        return new Step.Gather(step.id(), input, prompts, numDigits, timeout, branches, Optional.ofNullable(retryPrompt),
                maxRetries, Optional.ofNullable(otherwise));
    }

    private <T> T checked(String field, Supplier<T> value) {
        return step.checked(field, value);
    }

    private InvalidFlowException refused(String field, Object value, String problem) {
        return step.refused(field, value, problem);
    }
}
