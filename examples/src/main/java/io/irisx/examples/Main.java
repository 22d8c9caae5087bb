package io.irisx.examples;

import io.irisx.examples.cli.WebhookCommand;
import java.nio.file.Path;
import java.util.Arrays;

/** The command line of the examples jar: {@code java -jar irisx-examples.jar <command> [args]}. */
public final class Main {

    private Main() {
    }

    /** Runs the named command; exits 2 with the usage when there is none. */
    public static void main(String[] args) {
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "quickstart" -> {
                Path dataDirectory = Path.of(rest.length > 0 ? rest[0] : "irisx-data");
                Quickstart.Summary summary = new Quickstart(System.out).run(dataDirectory);
                System.exit(summary.allSettled() ? 0 : 1);
            }
            case "webhook" -> System.exit(new WebhookCommand(System.in, System.out, System.err).run(rest));
            default -> {
                System.err.println("usage: irisx-examples <command>\n"
                        + "  quickstart [data-directory]   run the quickstart on embedded defaults (default ./irisx-data)\n"
                        + "  webhook sign|verify ...       sign or verify a Standard Webhooks body read from standard input"
                        + " (webhook --help)");
                System.exit(2);
            }
        }
    }
}
