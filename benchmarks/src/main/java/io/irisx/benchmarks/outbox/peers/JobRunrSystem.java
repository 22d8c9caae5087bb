package io.irisx.benchmarks.outbox.peers;

import io.irisx.benchmarks.Programs;
import io.irisx.core.store.Database;
import java.time.Duration;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr (open source) with its PostgreSQL storage, set up as its documentation advises for throughput: job
 * requests ({@link JobRequest} and {@link JobRequestHandler}: no lambda to analyse per job), a background job server
 * of 16 workers, and the shortest poll interval it accepts on a SQL database, 5 s (its default is 15 s); a worker
 * that frees up asks for more at once while jobs are queued. Each job is enqueued in a transaction of its own (the
 * storage provider's). Not thread-safe but for {@link #enqueue}.
 */
final class JobRunrSystem implements JobSystem {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    private final Database database;
    private final JsonMapper json = new JacksonJsonMapper();
    private final PostgresStorageProvider storage;
    private final JobRequestScheduler scheduler;
    private final JobActivator activator = new JobActivator() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T activateJob(Class<T> type) {
            return (T) new Handler();
        }
    };
    private BackgroundJobServer server;

    /** On {@code database}, whose current schema is {@code schema}. */
    JobRunrSystem(Database database, String schema) {
        this.database = database;
        // The schema as the tables' prefix: JobRunr looks for its tables in every schema unless told which.
        this.storage = new PostgresStorageProvider(database.dataSource(), schema + ".");
        storage.setJobMapper(new JobMapper(json));
        this.scheduler = new JobRequestScheduler(storage);
    }

    /** A job: its payload, and the handler JobRunr runs it with. */
    public static final class Request implements JobRequest {
        private String payload;

        /** For JobRunr's JSON mapper. */
        public Request() {
        }

        Request(String payload) {
            this.payload = payload;
        }

        /** The job's payload. */
        public String getPayload() {
            return payload;
        }

        @Override
        public Class<Handler> getJobRequestHandler() {
            return Handler.class;
        }
    }

    /** Handles one job. */
    public static final class Handler implements JobRequestHandler<Request> {
        @Override
        public void run(Request request) throws InterruptedException {
            Jobs.handleCurrent(request.getPayload());
        }
    }

    @Override
    public String name() {
        return "JobRunr 8.7.0";
    }

    @Override
    public void reset() {
        Programs.truncate(database, "jobrunr_jobs");
    }

    @Override
    public void enqueue(String payload) {
        scheduler.enqueue(new Request(payload));
    }

    @Override
    public void startWorkers() {
        server = new BackgroundJobServer(storage, json, activator, BackgroundJobServerConfiguration
                .usingStandardBackgroundJobServerConfiguration().andWorkerCount(HANDLER_THREADS)
                .andPollInterval(POLL_INTERVAL));
        server.start();
    }

    @Override
    public void stopWorkers() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stopWorkers();
        storage.close();
        database.close();
    }
}
