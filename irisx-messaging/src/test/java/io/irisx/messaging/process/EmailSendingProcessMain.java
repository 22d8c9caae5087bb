package io.irisx.messaging.process;

import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host process sending email for {@link EmailMeteringCrashTest}, run by {@link io.irisx.core.testing.ChildJvm}:
 * {@code <jdbc url or data directory> <count> <block at> <clock ahead seconds>}. It runs the email module's worker
 * (8 at a time) through a provider in the process that accepts every email, printing {@code accepted <id>} for each
 * acceptance; prints {@code ready}; queues {@code count} emails of tenant {@code crash}, printing {@code queued <id>}
 * as each send returns, then {@code all-queued}. With {@code block at} above 0, the host's event sink, which runs in
 * the transaction that marks an email SENT, prints {@code in-commit <id>} at that many-th {@code email.sent} and
 * blocks there, before the commit, until the process is killed. With {@code count} 0 it waits until every stored
 * email is SENT and prints {@code all-sent}. Then it waits for its standard input to close, or to be killed. Its
 * clock runs {@code clock ahead seconds} ahead of the system's: a restart that long after a crash.
 */
public final class EmailSendingProcessMain {

    static final String TENANT = "crash";
    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"([^\"]+)\"");

    private EmailSendingProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        String target = args[0];
        int count = Integer.parseInt(args[1]);
        int blockAt = Integer.parseInt(args[2]);
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(Long.parseLong(args[3])));
        PrintStream out = System.out;
        AtomicInteger sentEvents = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);

        EmailProvider local = new EmailProvider() {
            @Override
            public String name() {
                return "local";
            }

            @Override
            public EmailReceipt send(OutgoingEmail email) {
                out.println("accepted " + email.id().value());
                return new EmailReceipt("local-" + email.id().value());
            }
        };
        Irisx.Builder builder = Irisx.builder().clock(clock)
                .eventSink(event -> {
                    if (event.type() == EventType.EMAIL_SENT && sentEvents.incrementAndGet() == blockAt) {
                        Matcher id = MESSAGE_ID.matcher(event.data());
                        out.println("in-commit " + (id.find() ? id.group(1) : "?"));
                        out.flush();
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                })
                .install(EmailModule.builder().provider(local).concurrency(8).pollInterval(Duration.ofMillis(20))
                        .build());
        if (target.startsWith("jdbc:")) {
            builder.jdbcUrl(target, null, null).sealingKeys(SealingKeys.generate("k1"));
        } else {
            builder.dataDirectory(Path.of(target));
        }
        try (Irisx irisx = builder.build()) {
            out.println("ready");
            EmailClient client = EmailClient.of(irisx.tenant(TENANT));
            for (int i = 0; i < count; i++) {
                MessageId id = client.send(EmailMessage.builder().from("billing@crash.example")
                        .to("ada@example.com").subject("Receipt " + i).text("Thank you.").build());
                out.println("queued " + id.value());
            }
            out.println("all-queued");
            if (count == 0) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> unsent(irisx) == 0);
                out.println("all-sent");
            }
            out.flush();
            while (System.in.read() != -1) {
                // The parent closes standard input to stop this process, or kills it.
            }
        }
    }

    private static long unsent(Irisx irisx) {
        return irisx.database().withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*) FROM irisx_email_messages WHERE status <> 'SENT'");
                    ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
