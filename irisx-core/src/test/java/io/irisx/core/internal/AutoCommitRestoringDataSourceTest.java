package io.irisx.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A connection Bucket4j leaves out of auto-commit goes back to a host's pool in auto-commit mode. */
class AutoCommitRestoringDataSourceTest {

    @Test
    void a_connection_closed_out_of_auto_commit_goes_back_to_the_pool_in_auto_commit_mode() throws SQLException {
        try (Database database = TestDatabases.h2(); Connection physical = database.dataSource().getConnection()) {
            AtomicInteger returned = new AtomicInteger();
            DataSource wrapped = AutoCommitRestoringDataSource.of(pool(physical, returned));

            try (Connection borrowed = wrapped.getConnection()) {
                borrowed.setAutoCommit(false);
                borrowed.createStatement().execute("SELECT 1");
                borrowed.commit();
            }

            assertThat(returned).hasValue(1);
            assertThat(physical.getAutoCommit()).isTrue();
            assertThat(wrapped.isWrapperFor(AutoCommitRestoringDataSource.class)).isTrue();
        }
    }

    /**
     * A pool of one connection that, like some hosts' pools, takes it back as it is: closing a borrowed connection
     * only counts the return.
     */
    private static DataSource pool(Connection physical, AtomicInteger returned) {
        Connection lent = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        returned.incrementAndGet();
                        return null;
                    }
                    try {
                        return method.invoke(physical, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return lent;
                    }
                    if (method.getName().equals("isWrapperFor")) {
                        return false;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
