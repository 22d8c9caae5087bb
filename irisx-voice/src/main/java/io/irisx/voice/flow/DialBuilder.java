package io.irisx.voice.flow;

import io.irisx.core.phone.PhoneNumber;
import io.irisx.voice.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings of one {@link Step.Dial}, given to {@link Flow.Builder#dial(String, String, java.util.function.Consumer)};
 * each setter checks its value at once, throwing {@link InvalidFlowException} naming the step's field. Not
 * thread-safe.
 */
public final class DialBuilder {

    private final StepFields step;
    private final String number;
    private Duration timeout = Duration.ofSeconds(30);
    private String callerId;

    DialBuilder(String flow, String id, String number) {
        this.step = new StepFields(flow, id);
        this.number = step.checked("number", () -> PhoneNumber.of(number).value());
    }

    /** How long the dialled number rings before it is given up: whole seconds, 5 to 600 (default 30). */
    public DialBuilder timeout(Duration timeout) {
        this.timeout = step.checked("timeout", () -> Checks.seconds("timeout", timeout, Duration.ofSeconds(5),
                Duration.ofSeconds(600)));
        return this;
    }

    /** The caller id the dialled party sees, E.164 (default: the call's own). */
    public DialBuilder callerId(String callerId) {
        this.callerId = step.checked("callerId", () -> PhoneNumber.of(callerId).value());
        return this;
    }

    Step.Dial build() {
        return new Step.Dial(step.id(), number, timeout, Optional.ofNullable(callerId));
    }
}
