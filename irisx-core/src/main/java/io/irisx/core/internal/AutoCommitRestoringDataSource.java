package io.irisx.core.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose connections are put back in auto-commit mode when closed; thread-safe. For a library that
 * turns auto-commit off and closes the connection without turning it on again (Bucket4j's JDBC backends): HikariCP
 * resets it on return to the pool, but a host's own pool may not, and IRISX's own calls on a borrowed connection
 * expect auto-commit.
 */
final class AutoCommitRestoringDataSource implements DataSource {

    private final DataSource dataSource;

    private AutoCommitRestoringDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@code dataSource}, its connections put back in auto-commit mode when closed. */
    static DataSource of(DataSource dataSource) {
        return new AutoCommitRestoringDataSource(Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public Connection getConnection() throws SQLException {
        return restoring(dataSource.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return restoring(dataSource.getConnection(username, password));
    }

    private static Connection restoring(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        try {
                            if (!connection.isClosed() && !connection.getAutoCommit()) {
                                // Whatever ran was committed or rolled back already; nothing is pending.
                                connection.setAutoCommit(true);
                            }
                        } finally {
                            connection.close();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return dataSource.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        dataSource.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        dataSource.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return dataSource.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return dataSource.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : dataSource.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || dataSource.isWrapperFor(type);
    }
}
