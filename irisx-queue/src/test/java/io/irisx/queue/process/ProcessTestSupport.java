package io.irisx.queue.process;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the process tests share: the handled table the worker processes write, and bulk publishing. */
final class ProcessTestSupport {

    static final TenantId TENANT = TenantId.of("process-test");

    private ProcessTestSupport() {
    }

    static void createHandledTable(Database database) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE irisx_test_handled (message_id VARCHAR(40) NOT NULL,"
                        + " worker VARCHAR(32) NOT NULL, attempt INTEGER NOT NULL,"
                        + " seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY)");
            }
            return null;
        });
    }

    /** Queues {@code count} EMAIL envelopes, in transactions of 500, and returns their ids. */
    static List<MessageId> publish(Outbox outbox, Database database, int count) {
        List<MessageId> ids = new ArrayList<>(count);
        while (ids.size() < count) {
            int batch = Math.min(500, count - ids.size());
            ids.addAll(database.inTransaction(connection -> {
                List<MessageId> queued = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    queued.add(outbox.publish(connection, Envelope.of(TENANT, Channel.EMAIL, "x".repeat(512))));
                }
                return queued;
            }));
        }
        return ids;
    }

    /** How many handlings were recorded. */
    static long handledCount(Database database) {
        return count(database, "SELECT COUNT(*) FROM irisx_test_handled");
    }

    /** How many outbox records are done. */
    static long doneCount(Database database) {
        return count(database, "SELECT COUNT(*) FROM irisx_outbox WHERE status = 'DONE'");
    }

    /** Each handled message's workers, in the order they handled it. */
    static Map<MessageId, List<String>> handlings(Database database) {
        return database.withConnection(connection -> {
            Map<MessageId, List<String>> handlings = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT message_id, worker FROM irisx_test_handled ORDER BY seq");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    handlings.computeIfAbsent(MessageId.parse(rows.getString(1)), id -> new ArrayList<>())
                            .add(rows.getString(2));
                }
            }
            return handlings;
        });
    }

    static long count(Database database, String sql) {
        return database.withConnection(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
