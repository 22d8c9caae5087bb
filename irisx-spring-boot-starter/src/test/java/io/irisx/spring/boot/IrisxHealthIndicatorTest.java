package io.irisx.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Irisx;
import io.irisx.core.health.Health;
import io.irisx.spring.boot.TestBeans.AuditModule;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code irisx} health indicator: when it exists, and how IRISX's statuses and checks reach Actuator. */
class IrisxHealthIndicatorTest {

    @TempDir
    Path data;

    private ApplicationContextRunner runner(Health.Status audit) {
        return Starter.runner(data).withBean(AuditModule.class, () -> new AuditModule(audit));
    }

    @Test
    void a_working_runtime_is_up_with_each_check_as_a_detail() {
        runner(Health.Status.UP).run(context -> {
            org.springframework.boot.actuate.health.Health health =
                    context.getBean("irisxHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("irisx", "UP")
                    .containsEntry("audit", Map.of("status", "UP", "detail", "audit log UP"))
                    .containsKeys("database", "outbox");
            assertThat(health.getDetails().get("database")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("status", "UP");
        });
    }

    @Test
    void degraded_is_up_by_default_with_irisx_status_in_the_details() {
        runner(Health.Status.DEGRADED).run(context -> {
            org.springframework.boot.actuate.health.Health health =
                    context.getBean(IrisxHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("irisx", "DEGRADED")
                    .containsEntry("audit", Map.of("status", "DEGRADED", "detail", "audit log DEGRADED"));
        });
    }

    @Test
    void degraded_takes_the_configured_status() {
        runner(Health.Status.DEGRADED).withPropertyValues("irisx.health.degraded-status=out_of_service")
                .run(context -> assertThat(context.getBean(IrisxHealthIndicator.class).health().getStatus())
                        .isEqualTo(Status.OUT_OF_SERVICE));
    }

    @Test
    void down_is_down() {
        runner(Health.Status.DOWN).run(context -> {
            org.springframework.boot.actuate.health.Health health =
                    context.getBean(IrisxHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("irisx", "DOWN");
        });
    }

    @Test
    void a_closed_runtime_reports_its_database_down() {
        runner(Health.Status.UP).run(context -> {
            context.getBean(Irisx.class).close();
            assertThat(context.getBean(IrisxHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void the_indicator_can_be_turned_off_and_needs_actuator() {
        runner(Health.Status.UP).withPropertyValues("management.health.irisx.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(Irisx.class)
                        .doesNotHaveBean(IrisxHealthIndicator.class));
        runner(Health.Status.UP).withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasSingleBean(Irisx.class)
                        .doesNotHaveBean("irisxHealthIndicator"));
    }
}
