package io.irisx.voice.flow;

import io.irisx.core.IrisxValidationException;
import io.irisx.voice.internal.Checks;
import java.util.function.Supplier;

/**
 * The fields of one step being built, named in refusals as {@code steps[menu].timeout}. Stateless but for the flow's
 * name and the step's id.
 */
final class StepFields {

    private final String flow;
    private final String id;

    StepFields(String flow, String id) {
        this.flow = flow;
        this.id = id;
    }

    /** The step's id. */
    String id() {
        return id;
    }

    /** What {@code value} makes, its refusal named as the step's {@code field}. */
    <T> T checked(String field, Supplier<T> value) {
        try {
            return value.get();
        } catch (InvalidFlowException e) {
            throw e;
        } catch (IrisxValidationException e) {
            throw refused(field, e.rejectedValue(), Checks.problem(e));
        }
    }

    /** The refusal of {@code value} as the step's {@code field}. */
    InvalidFlowException refused(String field, Object value, String problem) {
        return new InvalidFlowException(flow, id, "steps[" + id + "]." + field, value, problem);
    }
}
