package io.irisx.examples;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.DeadLetter;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.OutboxRecord;
import io.irisx.core.outbox.OutboxStatus;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.StatusChange;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.email.resend.ResendProvider;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.MessageFilter;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookAttempt;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhookMessage;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.signing.WebhookVerifier;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The quickstart on embedded defaults: an IRISX runtime on an H2 file database with the JDBC outbox, three pieces
 * of work queued for one tenant, a worker that completes one at once, retries one until it succeeds and gives up on
 * one, and every status change printed as it is stored; then the email channel: a webhook endpoint of the tenant's
 * subscribed to {@code email.sent}, a templated email sent through a provider chain whose first provider is down
 * (both providers' APIs served on loopback), its status history, and its {@code email.sent} webhook delivered signed
 * and checked by a receiver on loopback as the tenant's customer would check it. Nothing but the JVM is needed.
 */
public final class Quickstart {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream out;

    /** A quickstart that reports to {@code out}. */
    public Quickstart(PrintStream out) {
        this.out = out;
    }

    /**
     * What the run came to.
     *
     * @param statuses the final status of each queued envelope, by its label
     * @param deduplicated whether publishing the same idempotency key twice queued the work once
     * @param attempts how many deliveries the worker received in all
     * @param email the status of the email sent through the email channel
     * @param provider the provider that accepted it
     * @param webhook the status of its {@code email.sent} webhook, once delivered and verified by the receiver
     */
    public record Summary(Map<String, OutboxStatus> statuses, boolean deduplicated, int attempts, EmailStatus email,
            String provider, MessageStatus webhook) {
        /** Whether every envelope reached a final status (done or dead-lettered). */
        public boolean allSettled() {
            return statuses.values().stream().allMatch(s -> s == OutboxStatus.DONE || s == OutboxStatus.DEAD);
        }
    }

    /** Runs the quickstart with its database under {@code dataDirectory}. */
    public Summary run(Path dataDirectory) {
        out.println("IRISX quickstart: embedded defaults (H2 database and JDBC outbox under " + dataDirectory + ")");
        // irisx-core alone: the outbox, worked by a handler of the quickstart's own.
        String run = MessageId.generate().value().substring(4);
        Map<String, OutboxStatus> finalStatuses;
        boolean deduplicated;
        AtomicInteger attempts = new AtomicInteger();
        try (Irisx irisx = Irisx.builder().dataDirectory(dataDirectory).build()) {
            Tenant acme = irisx.tenant("acme");
            JdbcOutbox outbox = (JdbcOutbox) irisx.outbox();

            // Idempotency keys are the caller's: here, one set per run.
            Map<String, MessageId> queued = new LinkedHashMap<>();
            queued.put("welcome", queue(irisx, acme, run, "welcome", "{\"to\":\"ada@example.com\",\"subject\":\"Welcome\"}"));
            queued.put("flaky", queue(irisx, acme, run, "flaky", "{\"to\":\"grace@example.com\",\"subject\":\"Receipt\"}"));
            queued.put("doomed", queue(irisx, acme, run, "doomed", "{\"to\":\"nobody@invalid.example\",\"subject\":\"Hi\"}"));
            MessageId again = queue(irisx, acme, run, "welcome", "{\"to\":\"ada@example.com\",\"subject\":\"Welcome\"}");
            deduplicated = again.equals(queued.get("welcome"));
            out.printf("  publish again with idempotency key 'welcome' -> %s (%s)%n", again,
                    deduplicated ? "the same message: queued once" : "a second message");

            Map<MessageId, String> labels = new ConcurrentHashMap<>();
            queued.forEach((label, id) -> labels.put(id, label));
            ConsumeOptions options = ConsumeOptions.builder()
                    .concurrency(2)
                    .pollInterval(Duration.ofMillis(50))
                    .retryPolicy(RetryPolicy.exponential(Duration.ofMillis(300), 2, 3).build())
                    .onDeadLetter(dead -> out.printf("  dead letter: %s after %d attempt(s): %s%n",
                            labels.get(dead.envelope().id()), dead.attempts(), dead.lastError()))
                    .build();
            try (Subscription worker = outbox.consume(Channel.EMAIL,
                    delivery -> work(delivery, labels.get(delivery.envelope().id()), attempts), options)) {
                finalStatuses = watch(outbox, acme, queued);
            }

            Optional<DeadLetter> dead = acme.deadLetter(queued.get("doomed"));
            dead.ifPresent(d -> out.printf("  tenant acme's dead letters on EMAIL: %d; kept for replay or purge%n",
                    acme.deadLetters(Channel.EMAIL, PageRequest.first(100)).items().size()));

            String sealed = irisx.sealer().seal("sk_live_example_provider_key", "tenant:acme/provider-key");
            out.printf("  a provider key sealed at rest: %s… (opens to the same key: %s)%n",
                    sealed.substring(0, Math.min(24, sealed.length())),
                    irisx.sealer().open(sealed, "tenant:acme/provider-key").equals("sk_live_example_provider_key"));

        }
        EmailRun email = email(dataDirectory, run);
        Summary summary = new Summary(finalStatuses, deduplicated, attempts.get(), email.status(), email.provider(),
                email.webhook());
        out.printf("Done: %s, %d deliveries in all. Stop and run again: the database under %s keeps every record.%n",
                finalStatuses, summary.attempts(), dataDirectory);
        return summary;
    }

    /**
     * The email channel with a webhook: a receiver on loopback (the tenant's customer) subscribes to
     * {@code email.sent}; a templated email is sent through a provider chain whose first provider is down, so it
     * fails over to the second; it is marked SENT, and its {@code email.sent} event is posted, signed, to the
     * receiver, which verifies it. The endpoint is deleted at the end, so that each run starts afresh.
     */
    private EmailRun email(Path dataDirectory, String run) {
        try (Receiver receiver = Receiver.start();
                LoopbackProviders providers = LoopbackProviders.start();
                Irisx irisx = Irisx.builder().dataDirectory(dataDirectory)
                        // Every event (email.sent, …) fans out to the tenant's subscribed endpoints. Loopback is
                        // refused by default, as webhooks may only reach public addresses; allowed here for the demo.
                        .install(WebhooksModule.builder()
                                .ssrfPolicy(SsrfPolicy.builder().allow("127.0.0.0/8").build()).build())
                        .install(EmailModule.builder()
                                .provider(ResendProvider.builder("re_example_key").baseUrl(providers.resendUrl()).build())
                                .provider(PostmarkProvider.builder("example-server-token")
                                        .baseUrl(providers.postmarkUrl()).build())
                                .pollInterval(Duration.ofMillis(50))
                                .build())
                        .build()) {
            Tenant acme = irisx.tenant("acme");
            WebhookEndpoints endpoints = WebhookEndpoints.of(acme);
            EmailClient email = EmailClient.of(acme);
            CreatedEndpoint created = endpoints.create(EndpointSpec.builder(receiver.url())
                    .description("the quickstart's receiver").eventTypes("email.sent").build());
            EndpointId endpoint = created.endpoint().id();
            receiver.verifyWith(WebhookVerifier.builder().secret(created.secret()).build());
            out.printf("  webhook endpoint %s at %s receives email.sent (secret sealed at rest)%n", endpoint,
                    receiver.url());

            try {
                email.send(EmailMessage.builder().from("hello@acme.example").to("ada@example.com")
                        .subject("Welcome\r\nBcc: everyone@example.com").text("Hi").build());
            } catch (IrisxValidationException e) {
                out.printf("  refused before anything is stored: %s%n", e.getMessage());
            }
            email.templates().save("welcome", "Welcome, {{name}}", "Hello {{name}}, your plan is {{plan}}.",
                    "<p>Hello <b>{{name}}</b>, your plan is {{plan}}.</p>");
            EmailMessage welcome = EmailMessage.builder().from("hello@acme.example", "Acme").to("ada@example.com", "Ada")
                    .template("welcome", Map.of("name", "Ada <Lovelace>", "plan", "Pro")).tag("onboarding")
                    .idempotencyKey(run + "-welcome-email").build();
            MessageId id = email.send(welcome);
            boolean deduplicated = email.send(welcome).equals(id);
            out.printf("  email %s queued (\"%s\"); sent again with the same key: %s%n", id, email.get(id).subject(),
                    deduplicated ? "the same email" : "a second email");
            out.printf("  receiver: %s%n", receiver.next(TIMEOUT));
            for (String request : providers.drain()) {
                out.printf("  provider API on loopback: %s%n", request);
            }
            Email sent = email.get(id);
            for (StatusChange change : email.history(id)) {
                out.printf("  email status: %-6s %s%n", change.status(), change.detail());
            }

            WebhookMessage message = endpoints.messages(endpoint, MessageFilter.all(), PageRequest.first()).items().get(0);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (message.status() == MessageStatus.PENDING && System.nanoTime() < deadline) {
                pause();
                message = endpoints.message(message.id());
            }
            for (WebhookAttempt attempt : endpoints.attempts(message.id(), PageRequest.first()).items()) {
                out.printf("  webhook %s: %s, HTTP %s in %d ms%n", message.id(), message.status(),
                        attempt.statusCode().isPresent() ? attempt.statusCode().getAsInt() : "-",
                        attempt.latency().toMillis());
            }
            endpoints.delete(endpoint);
            return new EmailRun(sent.status(), sent.provider().orElse("-"), message.status());
        }
    }

    /** What the email part came to: the email's status and provider, and its webhook's status. */
    private record EmailRun(EmailStatus status, String provider, MessageStatus webhook) {
    }

    private MessageId queue(Irisx irisx, Tenant tenant, String run, String key, String payload) {
        Envelope envelope = Envelope.of(tenant.id(), Channel.EMAIL, payload).withIdempotencyKey(run + "-" + key);
        MessageId id = irisx.outbox().publish(envelope);
        if (id.equals(envelope.id())) {
            out.printf("  queued %-8s as %s%n", key, id);
        }
        return id;
    }

    /** The worker: a stand-in for a provider call that succeeds, fails twice then succeeds, or fails for good. */
    private Outcome work(Delivery delivery, String label, AtomicInteger attempts) {
        attempts.incrementAndGet();
        out.printf("  worker: %-8s attempt %d%n", label, delivery.attempt());
        return switch (label) {
            case "flaky" -> delivery.attempt() < 3
                    ? Outcome.retry("provider answered 503 Service Unavailable")
                    : Outcome.done();
            case "doomed" -> Outcome.fail("provider answered 550: mailbox does not exist");
            default -> Outcome.done();
        };
    }

    private Map<String, OutboxStatus> watch(JdbcOutbox outbox, Tenant tenant, Map<String, MessageId> queued) {
        Map<String, String> last = new LinkedHashMap<>();
        Map<String, OutboxStatus> current = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map.Entry<String, MessageId> entry : queued.entrySet()) {
                OutboxRecord record = outbox.find(tenant.id(), entry.getValue()).orElseThrow();
                String seen = record.status() + "/" + record.attempts();
                if (!seen.equals(last.put(entry.getKey(), seen))) {
                    out.printf("  status: %-8s %-9s attempts=%d%s%n", entry.getKey(), record.status(), record.attempts(),
                            record.lastError().map(e -> " last error: " + e).orElse(""));
                }
                current.put(entry.getKey(), record.status());
            }
            if (current.values().stream().allMatch(s -> List.of(OutboxStatus.DONE, OutboxStatus.DEAD).contains(s))) {
                return current;
            }
            pause();
        }
        return current;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching the outbox", e);
        }
    }
}
