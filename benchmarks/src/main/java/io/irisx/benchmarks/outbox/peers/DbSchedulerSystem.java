package io.irisx.benchmarks.outbox.peers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.irisx.benchmarks.Programs;
import io.irisx.core.store.Database;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * db-scheduler on PostgreSQL, set up as its README advises for throughput: the {@code lock-and-fetch} polling
 * strategy ({@code pollUsingLockAndFetch(0.5, 1.0)}: {@code SELECT … FOR UPDATE SKIP LOCKED}, refilling when half
 * the 16 threads are free), immediate execution (a job scheduled due now in this process is run at once, not at the
 * next poll), and a polling interval of 100 ms, the same as IRISX's (down from its 10 s default). Each job is a
 * one-time task instance scheduled for now in a transaction of its own (the client's). Not thread-safe but for
 * {@link #enqueue}.
 */
final class DbSchedulerSystem implements JobSystem {

    private static final Duration POLLING_INTERVAL = Duration.ofMillis(100);

    /** The table, as db-scheduler's documentation gives it for PostgreSQL. */
    private static final String TABLE = "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT"
            + " NOT NULL, task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL,"
            + " picked_by TEXT, last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE,"
            + " consecutive_failures INT, last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL,"
            + " priority SMALLINT, PRIMARY KEY (task_name, task_instance));"
            + " CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);"
            + " CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);"
            + " CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)";

    private final Database database;
    private final OneTimeTask<String> task = Tasks.oneTime("bench-job", String.class)
            .execute((instance, context) -> {
                try {
                    Jobs.handleCurrent(instance.getData());
                } catch (InterruptedException e) {
                    // Stopping: a task that returns is recorded as done, so it must not.
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while handling a job", e);
                }
            });
    private final SchedulerClient client;
    private volatile SchedulerClient scheduling;
    private Scheduler scheduler;

    DbSchedulerSystem(Database database) {
        this.database = database;
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.execute(TABLE);
            }
        });
        this.client = SchedulerClient.Builder.create(database.dataSource(), task).build();
        this.scheduling = client;
    }

    @Override
    public String name() {
        return "db-scheduler 16.7.1";
    }

    @Override
    public void reset() {
        Programs.truncate(database, "scheduled_tasks");
    }

    @Override
    public void enqueue(String payload) {
        // Through the running scheduler when there is one, which then runs it at once (immediate execution).
        scheduling.schedule(task.instance(UUID.randomUUID().toString(), payload), Instant.now());
    }

    @Override
    public void startWorkers() {
        scheduler = Scheduler.create(database.dataSource(), task)
                .threads(HANDLER_THREADS)
                .pollUsingLockAndFetch(0.5, 1.0)
                .pollingInterval(POLLING_INTERVAL)
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofMinutes(1))
                .build();
        scheduler.start();
        scheduling = scheduler;
    }

    @Override
    public void stopWorkers() {
        scheduling = client;
        if (scheduler != null) {
            scheduler.stop();
            scheduler = null;
        }
    }

    @Override
    public void close() {
        stopWorkers();
        database.close();
    }
}
