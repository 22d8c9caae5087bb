package io.irisx.messaging.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.Page;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.ChildJvm;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.testing.TestRows;
import io.irisx.core.usage.DailyUsage;
import io.irisx.core.usage.Usage;
import io.irisx.core.usage.UsageRecord;
import io.irisx.core.usage.UsageUnit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * A worker process killed with SIGKILL while it commits an email's SENT status — one email's transaction held open
 * at its commit, the others sending around it — and restarted: every email ends SENT and is metered exactly once,
 * though the one caught in its commit (and any other the kill cut short) went to the provider again. On the embedded
 * H2 file database and on PostgreSQL.
 */
@OnEachDialect
class EmailMeteringCrashTest {

    private static final int EMAILS = 300;
    /** The email.sent event whose transaction the first process is killed in. */
    private static final int BLOCK_AT = 60;

    @Parameter
    Database.Dialect dialect;
    @TempDir
    Path data;
    private Database postgres;

    @AfterEach
    void close() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @DisplayName("a worker killed in the SENT commit and restarted meters each email once, as many as were sent")
    void killedInTheSentCommitMetersEachEmailOnce() {
        String target = target();
        ChildJvm first = ChildJvm.start("first", EmailSendingProcessMain.class, target, String.valueOf(EMAILS),
                String.valueOf(BLOCK_AT), "0");
        String caught = first.awaitLine("in-commit ", Duration.ofMinutes(2)).substring("in-commit ".length());
        first.kill();
        assertThat(first.linesAfter("accepted ")).as("the kill came while the first process was sending")
                .hasSizeGreaterThanOrEqualTo(BLOCK_AT);
        List<String> accepted = new ArrayList<>(first.linesAfter("accepted "));
        List<String> queued = first.linesAfter("queued ");

        // A minute later, past the killed process's 30 s claims, another process finishes the work.
        try (ChildJvm second = ChildJvm.start("second", EmailSendingProcessMain.class, target, "0", "0", "60")) {
            second.awaitLine("all-sent", Duration.ofMinutes(3));
            accepted.addAll(second.linesAfter("accepted "));
        }

        inspect(target, irisx -> {
            List<String> emails = TestRows.column(irisx.database(), "SELECT id FROM irisx_email_messages");
            assertThat(emails).containsAll(queued).hasSizeGreaterThanOrEqualTo(BLOCK_AT);
            assertThat(TestRows.column(irisx.database(), "SELECT DISTINCT status FROM irisx_email_messages"))
                    .containsExactly("SENT");
            List<UsageRecord> records = records(irisx.tenant(EmailSendingProcessMain.TENANT).usage());
            // As many records as emails sent, one for each, of one email each: no more.
            assertThat(records).extracting(UsageRecord::subject).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(emails);
            assertThat(records).allSatisfy(record -> {
                assertThat(record.unit()).isEqualTo(UsageUnit.EMAIL);
                assertThat(record.quantity()).isEqualTo(1);
                assertThat(record.idempotencyKey()).isEqualTo(record.subject() + ":EMAIL");
            });
            long metered = irisx.tenant(EmailSendingProcessMain.TENANT).usage().daily(LocalDate.EPOCH,
                    LocalDate.now(ZoneOffset.UTC).plusDays(1)).stream().mapToLong(DailyUsage::quantity).sum();
            assertThat(metered).isEqualTo(emails.size());
            // The email caught in its commit went to the provider in each process, and is metered once.
            assertThat(accepted).filteredOn(caught::equals).hasSizeGreaterThanOrEqualTo(2);
            assertThat(records).filteredOn(record -> record.subject().equals(caught)).hasSize(1);
            assertThat(new HashSet<>(accepted)).containsExactlyInAnyOrderElementsOf(emails);
            return null;
        });
    }

    /** The database the processes share: a PostgreSQL schema, or the embedded H2 file database in a directory. */
    private String target() {
        if (dialect == Database.Dialect.POSTGRESQL) {
            postgres = TestDatabases.postgres();
            return TestDatabases.url(postgres);
        }
        return data.toString();
    }

    /** Opens the processes' database in this JVM, once they are gone, and runs {@code check} on it. */
    private void inspect(String target, Function<Irisx, Void> check) {
        Irisx.Builder builder = Irisx.builder();
        if (postgres != null) {
            builder.dataSource(postgres.dataSource()).sealingKeys(SealingKeys.generate("k1"));
        } else {
            builder.dataDirectory(Path.of(target));
        }
        try (Irisx irisx = builder.build()) {
            check.apply(irisx);
        }
    }

    /** Every usage record of {@code usage}, paged through as a biller's export would. */
    private static List<UsageRecord> records(Usage usage) {
        List<UsageRecord> all = new ArrayList<>();
        LocalDate to = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        Page<UsageRecord> page = usage.records(LocalDate.EPOCH, to, PageRequest.first(100));
        all.addAll(page.items());
        while (page.hasMore()) {
            page = usage.records(LocalDate.EPOCH, to, PageRequest.after(page.nextCursor().orElseThrow(), 100));
            all.addAll(page.items());
        }
        return all;
    }
}
