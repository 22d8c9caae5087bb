package io.irisx.spring.boot;

import io.irisx.core.Irisx;
import io.irisx.core.health.Health;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Beans an application adds, for the starter's context tests: DataSources, a module, a lifecycle probe. */
final class TestBeans {

    private TestBeans() {
    }

    /** An application DataSource: H2 in memory, in PostgreSQL mode. */
    @Configuration(proxyBeanMethods = false)
    static class H2DataSource {

        @Bean
        DataSource dataSource() {
            return inMemory();
        }

        static DataSource inMemory() {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            return dataSource;
        }
    }

    /** Two DataSources, one of them primary. */
    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {

        @Bean
        @Primary
        DataSource primary() {
            return H2DataSource.inMemory();
        }

        @Bean
        DataSource reporting() {
            return H2DataSource.inMemory();
        }
    }

    /** A module of the application's own, whose health check reports {@code status}. */
    static final class AuditModule implements IrisxModule {
        private final Health.Status status;

        AuditModule(Health.Status status) {
            this.status = status;
        }

        @Override
        public String name() {
            return "audit";
        }

        @Override
        public void install(ModuleContext context) {
            context.addHealthCheck(() -> new Health.Check("audit", status, "audit log " + status));
        }
    }

    /** A lifecycle in the phase the web server stops in, noting whether the runtime was still open then. */
    static final class WebServerStopProbe implements SmartLifecycle {
        private final List<String> stops;
        private final Supplier<Irisx> runtime;
        private volatile boolean running;

        WebServerStopProbe(List<String> stops, Supplier<Irisx> runtime) {
            this.stops = stops;
            this.runtime = runtime;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            try {
                runtime.get().tenant("acme");
                stops.add("web server stopped while irisx was open");
            } catch (IllegalStateException e) {
                stops.add("web server stopped after irisx closed");
            }
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024;
        }
    }
}
