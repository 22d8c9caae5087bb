package io.irisx.messaging.email.mailgun;

import io.irisx.messaging.email.EmailAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back what {@link EmailAddress#formatted()} writes: a comma-separated list of {@code "Name" <address>} or bare
 * addresses, with {@code \"} and {@code \\} escaped inside the quotes. Only for the test server.
 */
final class Mailboxes {

    private Mailboxes() {
    }

    static List<EmailAddress> parse(String list) {
        List<EmailAddress> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quoted && c == '\\' && i + 1 < list.length()) {
                current.append(c).append(list.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                add(result, current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(result, current.toString());
        return result;
    }

    private static void add(List<EmailAddress> result, String mailbox) {
        String trimmed = mailbox.trim();
        if (trimmed.isEmpty()) {
            return;
        }
        int open = trimmed.lastIndexOf('<');
        if (open < 0) {
            result.add(EmailAddress.of(trimmed));
            return;
        }
        String address = trimmed.substring(open + 1, trimmed.lastIndexOf('>'));
        String name = trimmed.substring(0, open).trim();
        if (name.startsWith("\"") && name.endsWith("\"") && name.length() >= 2) {
            name = name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        result.add(EmailAddress.of(address, name));
    }
}
