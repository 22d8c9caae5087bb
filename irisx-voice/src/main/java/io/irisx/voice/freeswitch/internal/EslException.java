package io.irisx.voice.freeswitch.internal;

/**
 * A command that got no answer over the Event Socket: the connection was down before it was sent
 * ({@link #sent()} false: FreeSWITCH never saw it), or was lost or timed out after (true: it may have run).
 */
public final class EslException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean sent;
    private final boolean authentication;

    EslException(String message, boolean sent, boolean authentication, Throwable cause) {
        super(message, cause);
        this.sent = sent;
        this.authentication = authentication;
    }

    /** Whether the command was written to FreeSWITCH, so may have run. */
    public boolean sent() {
        return sent;
    }

    /** Whether FreeSWITCH refused the password: no command goes through until the host fixes it. */
    public boolean authentication() {
        return authentication;
    }
}
