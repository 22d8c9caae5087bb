package io.irisx.examples.readme;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.secret.SealingKeys;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/** The README's "Using irisx-core"; stateless and thread-safe. */
public final class CoreSection {

    private CoreSection() {
    }

    /**
     * The embedded defaults (H2 and the JDBC outbox under {@code ./irisx-data}): tenant acme's work queued once under
     * an idempotency key and handled by a worker of the host's own, which runs until {@code shutdown} opens.
     */
    @SuppressWarnings("try") // the worker is closed, never referenced: it works on its own threads
    public static void embedded(CountDownLatch shutdown) throws InterruptedException {
        // README:begin core-embedded
        try (Irisx irisx = Irisx.builder().build()) {            // H2 under ./irisx-data, JdbcOutbox
            Tenant acme = irisx.tenant("acme");
            Outbox outbox = irisx.outbox();

            MessageId id = outbox.publish(Envelope.of(acme.id(), Channel.EMAIL, "{\"to\":\"ada@example.com\"}")
                    .withIdempotencyKey("order-1042-receipt"));

            try (Subscription worker = outbox.consume(Channel.EMAIL, delivery -> {
                // call the provider, then answer: Outcome.done(); Outcome.retry(reason), after the policy's next delay;
                // Outcome.retryAfter(delay, reason), after the provider's Retry-After; Outcome.defer(delay, reason), held back
                // without spending a try; or Outcome.fail(reason), a dead letter at once
                return Outcome.done();
            }, ConsumeOptions.defaults())) {
                shutdown.await();                               // the worker handles EMAIL work until the host stops
            }
        }
        // README:end
    }

    /**
     * Production: the runtime on the host's PostgreSQL, with the sealing keys from the environment variable
     * {@code IRISX_SEALING_KEYS}; the caller closes it.
     */
    public static Irisx production(DataSource hostDataSource) {
        // README:begin core-production
        Irisx irisx = Irisx.builder()
                .dataSource(hostDataSource)
                .sealingKeys(SealingKeys.parse(System.getenv("IRISX_SEALING_KEYS")))
                .build();
        // README:end
        return irisx;
    }
}
