package io.irisx.voice.flow;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a {@link Flow}, named by an id unique in its flow; immutable. Steps run in the order the flow lists
 * them; {@link Flow#after} and {@link Flow#afterGather} say which step follows each. A step holds no provider's
 * markup: Twilio renders it as TwiML, another provider runs it its own way.
 */
public sealed interface Step permits Step.Say, Step.Play, Step.Pause, Step.Gather, Step.Record, Step.Dial,
        Step.Redirect, Step.Hangup {

    /** The step's id, unique in its flow. */
    String id();

    /**
     * Speaks a text; the next step follows.
     *
     * @param id the step's id
     * @param speech what is said, in which voice and language
     */
    record Say(String id, Prompt.Speech speech) implements Step {
        /** Checks every field. */
        public Say {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(speech, "speech");
        }
    }

    /**
     * Plays audio from a URL; the next step follows.
     *
     * @param id the step's id
     * @param audio what is played
     */
    record Play(String id, Prompt.Audio audio) implements Step {
        /** Checks every field. */
        public Play {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(audio, "audio");
        }
    }

    /**
     * Waits in silence; the next step follows.
     *
     * @param id the step's id
     * @param length how long, whole seconds from 1 to 600
     */
    record Pause(String id, Duration length) implements Step {
        /** Checks every field. */
        public Pause {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(length, "length");
        }
    }

    /**
     * Speaks its prompts while listening for keypad digits or speech, then goes to the branch the input names. When
     * nothing came in time (no input) or the input names no branch (invalid input), it says its retry prompt and
     * listens again, up to {@code maxRetries} more times; then it goes to {@code otherwise}, or on to the next step.
     *
     * @param id the step's id
     * @param input what it listens for
     * @param prompts what it says while listening, in order (barge-in: input interrupts them)
     * @param numDigits how many digits end the input at once, or 0 to end on {@code #} or the timeout
     * @param timeout how long it waits for input after its prompts
     * @param branches the step each input leads to: digits ({@code "1"}, {@code "42#"}) or, for speech, a phrase
     *     ({@code "sales"}) the caller's words must contain; in the order they were given
     * @param retryPrompt what is said before listening again, when given
     * @param maxRetries how many more times it listens after no input or invalid input, 0 to 10
     * @param otherwise the step the call goes to when the retries run out, or empty for the next step
     */
    record Gather(String id, GatherInput input, List<Prompt> prompts, int numDigits, Duration timeout,
            Map<String, String> branches, Optional<Prompt> retryPrompt, int maxRetries, Optional<String> otherwise)
            implements Step {

        /** Checks every field and copies the prompts and branches, keeping the branches' order. */
        public Gather {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(input, "input");
            prompts = List.copyOf(prompts);
            Objects.requireNonNull(timeout, "timeout");
            branches = Collections.unmodifiableMap(new LinkedHashMap<>(branches));
            Objects.requireNonNull(retryPrompt, "retryPrompt");
            Objects.requireNonNull(otherwise, "otherwise");
        }

        /**
         * The step the caller's input leads to, if it names a branch: {@code digits} exactly a branch's digits (when
         * digits are listened for), else {@code speech} containing a branch's phrase, word for word, in any case and
         * punctuation (when speech is listened for); the first branch given wins.
         *
         * @param digits the digits pressed, empty when none
         * @param speech the words recognised, empty when none
         */
        public Optional<String> target(String digits, String speech) {
            Objects.requireNonNull(digits, "digits");
            Objects.requireNonNull(speech, "speech");
            if (input.digits() && !digits.isEmpty() && branches.containsKey(digits)) {
                return Optional.of(branches.get(digits));
            }
            if (input.speech() && !speech.isBlank()) {
                String heard = " " + words(speech) + " ";
                for (Map.Entry<String, String> branch : branches.entrySet()) {
                    String phrase = words(branch.getKey());
                    if (!phrase.isEmpty() && heard.contains(" " + phrase + " ")) {
                        return Optional.of(branch.getValue());
                    }
                }
            }
            return Optional.empty();
        }

        /** The words of {@code text}, lower case, separated by one space, without punctuation. */
        static String words(String text) {
            return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        }
    }

    /**
     * Records the caller (a voicemail, a message), then goes to {@code then}, or on to the next step.
     *
     * @param id the step's id
     * @param maxLength the longest recording, whole seconds from 1 to 4 hours
     * @param beep whether a beep marks the start
     * @param transcribe whether the provider transcribes the recording
     * @param then the step after the recording, or empty for the next step
     */
    record Record(String id, Duration maxLength, boolean beep, boolean transcribe, Optional<String> then)
            implements Step {
        /** Checks every field. */
        public Record {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(maxLength, "maxLength");
            Objects.requireNonNull(then, "then");
        }
    }

    /**
     * Connects the call to another number (a transfer); when that call ends, the next step follows.
     *
     * @param id the step's id
     * @param number the number dialled, E.164
     * @param timeout how long it rings before it is given up
     * @param callerId the caller id the dialled party sees, E.164, or empty for the call's own
     */
    record Dial(String id, String number, Duration timeout, Optional<String> callerId) implements Step {
        /** Checks every field. */
        public Dial {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(callerId, "callerId");
        }
    }

    /**
     * Leaves this flow for another one of the module's flows, which starts from its first step.
     *
     * @param id the step's id
     * @param flow the other flow's name
     */
    record Redirect(String id, String flow) implements Step {
        /** Checks every field. */
        public Redirect {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(flow, "flow");
        }
    }

    /**
     * Ends the call.
     *
     * @param id the step's id
     */
    record Hangup(String id) implements Step {
        /** Checks every field. */
        public Hangup {
            Objects.requireNonNull(id, "id");
        }
    }
}
