package io.irisx.voice.flow;

import io.irisx.voice.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings of one {@link Step.Record}, given to {@link Flow.Builder#record}; each setter checks its value at once,
 * throwing {@link InvalidFlowException} naming the step's field. Not thread-safe.
 */
public final class RecordBuilder {

    /** The longest recording: 4 hours, as Twilio's. */
    public static final Duration MAX_LENGTH = Duration.ofHours(4);

    private final StepFields step;
    private Duration maxLength = Duration.ofHours(1);
    private boolean beep = true;
    private boolean transcribe;
    private String then;

    RecordBuilder(String flow, String id) {
        this.step = new StepFields(flow, id);
    }

    /** The longest recording: whole seconds, 1 second to 4 hours (default 1 hour). */
    public RecordBuilder maxLength(Duration maxLength) {
        this.maxLength = step.checked("maxLength", () -> Checks.seconds("maxLength", maxLength, Duration.ofSeconds(1),
                MAX_LENGTH));
        return this;
    }

    /** Whether a beep marks the start (default true). */
    public RecordBuilder beep(boolean beep) {
        this.beep = beep;
        return this;
    }

    /** Whether the provider transcribes the recording (default false). */
    public RecordBuilder transcribe(boolean transcribe) {
        this.transcribe = transcribe;
        return this;
    }

    /** The step after the recording (default: the next step). */
    public RecordBuilder then(String target) {
        this.then = step.checked("then", () -> Checks.name("then", target));
        return this;
    }

    Step.Record build() {
        return new Step.Record(step.id(), maxLength, beep, transcribe, Optional.ofNullable(then));
    }
}
