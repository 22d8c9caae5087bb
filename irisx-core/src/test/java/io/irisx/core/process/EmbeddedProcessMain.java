package io.irisx.core.process;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A host process on the embedded defaults for {@link EmbeddedCrashTest}, run by {@link io.irisx.core.testing.ChildJvm}:
 * {@code <data directory> <mode> <count>}. Mode {@code publish} prints {@code ready}, publishes {@code count} EMAIL
 * envelopes, printing {@code published <id>} as each {@code publish} returns, then {@code all-published}; mode
 * {@code work} also handles the channel meanwhile (8 at a time), printing {@code handled <id>} in each handling
 * before it answers done. Either then waits for its standard input to close, or to be killed.
 */
public final class EmbeddedProcessMain {

    static final TenantId TENANT = TenantId.of("crash");
    /** The handlers at once of mode {@code work}. */
    static final int CONCURRENCY = 8;
    /** The outcomes mode {@code work}'s recorder writes together. */
    static final int BATCH_SIZE = 32;

    private EmbeddedProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        boolean work = args[1].equals("work");
        int count = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        try (Irisx irisx = Irisx.builder().dataDirectory(directory).build()) {
            Outbox outbox = irisx.outbox();
            if (work) {
                outbox.consume(Channel.EMAIL, delivery -> {
                    out.println("handled " + delivery.envelope().id().value());
                    return Outcome.done();
                }, ConsumeOptions.builder().concurrency(CONCURRENCY).batchSize(BATCH_SIZE).build());
            }
            out.println("ready");
            for (int i = 0; i < count; i++) {
                MessageId id = outbox.publish(Envelope.of(TENANT, Channel.EMAIL, "work " + i));
                out.println("published " + id.value());
            }
            out.println("all-published");
            out.flush();
            while (System.in.read() != -1) {
                // The parent closes standard input to stop this process, or kills it.
            }
        }
    }
}
