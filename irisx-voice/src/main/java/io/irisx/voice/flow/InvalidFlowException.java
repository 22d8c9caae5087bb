package io.irisx.voice.flow;

import io.irisx.core.IrisxValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A flow, or one of its steps, that IRISX refuses when it is built: an unknown branch target, a step no path reaches,
 * a gather with no branch, a repeated step id, a value out of range. The message names the field (as
 * {@code steps[menu].branches[1]}), the offending value and the flow.
 */
public final class InvalidFlowException extends IrisxValidationException {

    private final String flow;
    private final String step;

    /**
     * @param flow the flow's name
     * @param step the step's id, or {@code null} when the problem is the flow's as a whole
     * @param field the field refused, as {@code steps[menu].branches[1]}
     * @param rejectedValue the value refused
     * @param problem what is wrong and what is expected
     */
    public InvalidFlowException(String flow, String step, String field, Object rejectedValue, String problem) {
        super(field, rejectedValue, Objects.requireNonNull(problem, "problem") + " (flow '" + flow + "')");
        this.flow = Objects.requireNonNull(flow, "flow");
        this.step = step;
    }

    /** The flow refused. */
    public String flow() {
        return flow;
    }

    /** The step refused, when the problem is one step's. */
    public Optional<String> step() {
        return Optional.ofNullable(step);
    }
}
