package io.irisx.voice;

/** Whether the provider listens, when a call is answered, for an answering machine rather than a person. */
public enum MachineDetection {
    /** No detection: the flow starts as soon as the call is answered. */
    OFF,
    /** The flow starts as soon as the provider has told a person, a machine or a fax apart. */
    ENABLE,
    /**
     * When a machine answers, the flow starts once its greeting ends (after the beep), so that a message left with a
     * {@code say} or {@code play} step is recorded whole.
     */
    DETECT_MESSAGE_END
}
