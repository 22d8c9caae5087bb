package io.irisx.voice.freeswitch.internal;

/** Bytes from the Event Socket that do not follow its framing or event format; the connection cannot go on. */
public final class EslProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A violation described by {@code message}, which names what was wrong and the offending value. */
    public EslProtocolException(String message) {
        super(message);
    }

    /** A violation described by {@code message}, caused by {@code cause}. */
    public EslProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code text} cut to 60 characters, control characters shown escaped, for a message. */
    static String shown(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        StringBuilder out = new StringBuilder();
        for (char c : cut.toCharArray()) {
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
