package io.irisx.examples.cli;

import io.irisx.core.IrisxValidationException;
import io.irisx.webhooks.signing.WebhookHeaders;
import io.irisx.webhooks.signing.WebhookKeyPair;
import io.irisx.webhooks.signing.WebhookPublicKey;
import io.irisx.webhooks.signing.WebhookSecret;
import io.irisx.webhooks.signing.WebhookSigner;
import io.irisx.webhooks.signing.WebhookSigningKey;
import io.irisx.webhooks.signing.WebhookVerificationException;
import io.irisx.webhooks.signing.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code webhook} command: signs a body read from standard input with Standard Webhooks, or verifies one; not
 * thread-safe (one run at a time over its streams).
 *
 * <pre>
 * webhook sign   --secret KEY... --id ID [--timestamp SECONDS]                   prints the three headers
 * webhook verify --secret KEY... --id ID --timestamp SECONDS --signature SIG [--no-tolerance]
 * </pre>
 *
 * <p>{@code run} returns the exit status: 0 signed or valid, 1 invalid (the reason on standard error), 2 a usage
 * error. Secrets appear in no output.
 */
public final class WebhookCommand {

    /** Signed, or the webhook is valid. */
    public static final int OK = 0;
    /** The webhook failed verification. */
    public static final int INVALID = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: irisx webhook sign   --secret KEY [--secret KEY]... --id ID [--timestamp SECONDS]
                   irisx webhook verify --secret KEY [--secret KEY]... --id ID --timestamp SECONDS \\
                                        --signature SIGNATURE [--no-tolerance]
              The body is read from standard input, as raw bytes.
              sign    prints webhook-id, webhook-timestamp and webhook-signature, one 'name: value' a line;
                      KEY is whsec_... (HMAC-SHA256) or whsk_... (Ed25519); several keys sign once each
                      (rotation); the timestamp defaults to now.
              verify  exits 0 when valid, 1 when not (the reason on standard error); KEY is whsec_... or
                      whpk_... (an Ed25519 public key); the timestamp must be within 5 minutes of now,
                      unless --no-tolerance is given (for a webhook recorded earlier).
            """;

    private static final Set<String> VALUED = Set.of("--secret", "--id", "--timestamp", "--signature");

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    /** A command over these streams, on the system clock. */
    public WebhookCommand(InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, Clock.systemUTC());
    }

    WebhookCommand(InputStream in, PrintStream out, PrintStream err, Clock clock) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs {@code webhook <args>} and returns the exit status. */
    public int run(String... args) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.print(USAGE_TEXT);
            return OK;
        }
        try {
            String action = args.length == 0 ? "" : args[0];
            Options options = Options.parse(args);
            return switch (action) {
                case "sign" -> sign(options);
                case "verify" -> verify(options);
                default -> throw new UsageException(action.isEmpty() ? "no action given"
                        : "unknown action '" + action + "'; the actions are sign and verify");
            };
        } catch (UsageException | IrisxValidationException | IllegalArgumentException e) {
            err.println("irisx webhook: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
    }

    private int sign(Options options) {
        options.allowOnly("--secret", "--id", "--timestamp");
        List<WebhookSigningKey> keys = new ArrayList<>();
        for (String key : options.required("--secret")) {
            keys.add(key.startsWith(WebhookKeyPair.PREFIX) ? WebhookKeyPair.parse(key) : WebhookSecret.parse(key));
        }
        String id = options.single("--id");
        long timestamp = options.has("--timestamp") ? seconds(options.single("--timestamp"))
                : clock.instant().getEpochSecond();
        WebhookSigner signer = WebhookSigner.of(keys);
        WebhookHeaders headers = signer.sign(id, timestamp, body());
        out.println(WebhookHeaders.ID + ": " + headers.id());
        out.println(WebhookHeaders.TIMESTAMP + ": " + headers.timestamp());
        out.println(WebhookHeaders.SIGNATURE + ": " + headers.signature());
        return OK;
    }

    private int verify(Options options) {
        options.allowOnly("--secret", "--id", "--timestamp", "--signature", "--no-tolerance");
        WebhookVerifier.Builder builder = WebhookVerifier.builder().clock(clock)
                .checkTimestamp(!options.has("--no-tolerance"));
        for (String key : options.required("--secret")) {
            if (key.startsWith(WebhookPublicKey.PREFIX)) {
                builder.publicKey(key);
            } else {
                builder.secret(key);
            }
        }
        WebhookVerifier verifier = builder.build();
        String id = options.single("--id");
        String timestamp = options.single("--timestamp");
        String signature = options.single("--signature");
        try {
            verifier.verify(id, timestamp, signature, body());
        } catch (WebhookVerificationException e) {
            err.println("invalid: " + e.reason() + ": " + e.getMessage());
            return INVALID;
        }
        out.println("valid");
        return OK;
    }

    private byte[] body() {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the body from standard input", e);
        }
    }

    private static long seconds(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--timestamp must be unix seconds, was '" + text + "'");
        }
    }

    /** The command line could not be understood. */
    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** The flags after the action: each valued flag's values in order, and the switches given. */
    private record Options(Map<String, List<String>> values) {

        static Options parse(String[] args) {
            Map<String, List<String>> values = new HashMap<>();
            for (int i = 1; i < args.length; i++) {
                String flag = args[i];
                if (VALUED.contains(flag)) {
                    if (i + 1 == args.length) {
                        throw new UsageException(flag + " needs a value");
                    }
                    values.computeIfAbsent(flag, f -> new ArrayList<>()).add(args[++i]);
                } else if (flag.equals("--no-tolerance")) {
                    values.put(flag, List.of());
                } else {
                    throw new UsageException("unknown argument '" + flag + "'");
                }
            }
            return new Options(values);
        }

        void allowOnly(String... flags) {
            Set<String> allowed = Set.of(flags);
            for (String flag : values.keySet()) {
                if (!allowed.contains(flag)) {
                    throw new UsageException(flag + " does not apply here");
                }
            }
        }

        boolean has(String flag) {
            return values.containsKey(flag);
        }

        List<String> required(String flag) {
            List<String> given = values.get(flag);
            if (given == null) {
                throw new UsageException(flag + " is required");
            }
            return given;
        }

        String single(String flag) {
            List<String> given = required(flag);
            if (given.size() > 1) {
                throw new UsageException(flag + " is given " + given.size() + " times; give it once");
            }
            return given.get(0);
        }
    }
}
