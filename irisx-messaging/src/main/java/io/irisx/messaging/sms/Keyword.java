package io.irisx.messaging.sms;

import java.util.Locale;
import java.util.Set;

/**
 * What an inbound message asks for, by the carrier-standard keywords: its whole text, in any case, with surrounding
 * whitespace and a trailing period or exclamation mark ignored.
 */
public enum Keyword {
    /** STOP, STOPALL, UNSUBSCRIBE, CANCEL, END or QUIT: the sender opts out. */
    STOP,
    /** START, YES or UNSTOP: the sender opts back in. */
    START,
    /** HELP or INFO: the sender asks for help. */
    HELP,
    /** Any other text. */
    NONE;

    private static final Set<String> STOPS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    private static final Set<String> STARTS = Set.of("START", "YES", "UNSTOP");
    private static final Set<String> HELPS = Set.of("HELP", "INFO");

    /** The keyword {@code body} is, if any. */
    public static Keyword of(String body) {
        // One pass from the end, not a copy per mark: a body of many marks is no slower than any other.
        int end = body.length();
        while (end > 0 && (Character.isWhitespace(body.charAt(end - 1)) || body.charAt(end - 1) == '.'
                || body.charAt(end - 1) == '!')) {
            end--;
        }
        String word = body.substring(0, end).strip().toUpperCase(Locale.ROOT);
        if (STOPS.contains(word)) {
            return STOP;
        }
        if (STARTS.contains(word)) {
            return START;
        }
        return HELPS.contains(word) ? HELP : NONE;
    }
}
