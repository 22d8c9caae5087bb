package io.irisx.voice.flow;

/** What a gather listens for. */
public enum GatherInput {
    /** Keypad digits (DTMF). */
    DIGITS,
    /** Speech, recognised by the provider. */
    SPEECH,
    /** Whichever comes first: keypad digits or speech. */
    DIGITS_AND_SPEECH;

    /** Whether keypad digits are listened for. */
    public boolean digits() {
        return this != SPEECH;
    }

    /** Whether speech is listened for. */
    public boolean speech() {
        return this != DIGITS;
    }
}
