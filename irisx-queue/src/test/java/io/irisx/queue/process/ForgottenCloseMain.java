package io.irisx.queue.process;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Outcome;
import io.irisx.queue.TestNats;
import java.nio.file.Path;

/**
 * A host that builds a runtime with the JetStream outbox, consumes a channel, and returns from {@code main} without
 * closing anything: its JVM must still exit. Arguments: the NATS URL, the data directory, the stream namespace.
 */
public final class ForgottenCloseMain {

    private ForgottenCloseMain() {
    }

    public static void main(String[] args) {
        Irisx irisx = Irisx.builder().dataDirectory(Path.of(args[1]))
                .outbox(TestNats.outbox(args[0], args[2]).factory())
                .build();
        irisx.outbox().consume(Channel.EMAIL, delivery -> Outcome.done(), ConsumeOptions.defaults());
        System.out.println("started");
    }
}
