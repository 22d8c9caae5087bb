package io.irisx.voice;

/** Whether a call is recorded, and how its two parties are laid out in the recording. */
public enum RecordingMode {
    /** Not recorded. */
    NONE,
    /** Recorded, both parties mixed into one channel. */
    MONO,
    /** Recorded, each party on its own channel (left the called party, right the caller). */
    DUAL
}
