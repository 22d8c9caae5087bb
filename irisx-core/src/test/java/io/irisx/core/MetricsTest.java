package io.irisx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.process.EmbeddedProcessMain;
import io.irisx.core.testing.ChildJvm;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's meters in a host's Micrometer registry, and a runtime that starts without Micrometer at all. */
class MetricsTest {

    private static final TenantId ACME = TenantId.of("acme");

    @TempDir
    Path data;

    @Test
    void publishedHandledAndDeadWorkIsCountedAndTheBacklogGauged() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Irisx irisx = Irisx.builder().dataDirectory(data).meterRegistry(registry).build()) {
            irisx.outbox().publish(Envelope.of(ACME, Channel.SMS, "{}"));
            irisx.outbox().inTransaction(irisx.database(),
                    (connection, queue) -> queue.publish(Envelope.of(ACME, Channel.SMS, "{}")));
            irisx.outbox().publish(Envelope.of(ACME, Channel.EMAIL, "{}"));
            irisx.outbox().publish(Envelope.of(ACME, Channel.EMAIL, "{}"));
            assertThat(registry.get("irisx.outbox.backlog").tags("channel", "email", "status", "pending").gauge()
                    .value()).isEqualTo(2);

            try (Subscription sms = irisx.outbox().consume(Channel.SMS, delivery -> Outcome.done(), options());
                    Subscription email = irisx.outbox().consume(Channel.EMAIL,
                            delivery -> Outcome.fail("550 no such mailbox"), options())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("irisx.outbox.dead.letters")
                        .tags("channel", "email").counter() != null
                        && registry.get("irisx.outbox.dead.letters").tags("channel", "email").counter().count() == 2
                        && registry.find("irisx.outbox.handled").tags("channel", "sms", "outcome", "done").counter()
                                != null
                        && registry.get("irisx.outbox.handled").tags("channel", "sms", "outcome", "done").counter()
                                .count() == 2);
            }
            assertThat(registry.get("irisx.outbox.published").tags("channel", "sms").counter().count()).isEqualTo(2);
            assertThat(registry.get("irisx.outbox.handled").tags("channel", "email", "outcome", "fail").counter()
                    .count()).isEqualTo(2);
            assertThat(registry.get("irisx.outbox.latency").tags("channel", "sms").timer().count()).isEqualTo(2);
            assertThat(registry.get("irisx.outbox.handling").tags("channel", "email").timer().count()).isEqualTo(2);
            assertThat(registry.get("irisx.outbox.overdue.seconds").tags("channel", "voice").gauge().value()).isZero();
        }
    }

    @Test
    void withoutMicrometerOnTheClassPathTheRuntimeStartsAndWorks() {
        try (ChildJvm host = ChildJvm.startWithout("no-micrometer", "micrometer", EmbeddedProcessMain.class,
                data.toString(), "work", "20")) {
            await().atMost(Duration.ofMinutes(1)).until(() -> host.linesAfter("handled ").size() == 20);
        }
    }

    private static ConsumeOptions options() {
        return ConsumeOptions.builder().pollInterval(Duration.ofMillis(10)).build();
    }
}
