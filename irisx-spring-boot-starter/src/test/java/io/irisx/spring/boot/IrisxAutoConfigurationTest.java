package io.irisx.spring.boot;

import static io.irisx.spring.boot.Starter.propertyFailure;
import static io.irisx.spring.boot.Starter.sealingKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Irisx;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.health.Health;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.secret.SealingKeys;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.queue.JetStreamOutbox;
import io.irisx.queue.TestNats;
import io.irisx.spring.boot.TestBeans.AuditModule;
import io.irisx.spring.boot.TestBeans.H2DataSource;
import io.irisx.spring.boot.TestBeans.TwoDataSources;
import io.irisx.spring.boot.TestBeans.WebServerStopProbe;
import io.irisx.spring.boot.internal.IrisxLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;

/**
 * The runtime the auto-configuration builds: where it stores, with which keys and outbox, what the application adds
 * to it (modules, customizers, a meter registry, its own runtime), and when it closes.
 */
@ExtendWith(OutputCaptureExtension.class)
class IrisxAutoConfigurationTest {

    @TempDir
    Path data;

    private ApplicationContextRunner runner() {
        return Starter.runner(data);
    }

    @Test
    void without_a_data_source_the_runtime_runs_on_the_embedded_defaults_under_the_data_directory() {
        runner().run(context -> {
            Irisx irisx = context.getBean(Irisx.class);
            assertThat(irisx.database().dialect().name()).isEqualTo("H2");
            assertThat(data.resolve("irisx.mv.db")).exists();
            assertThat(data.resolve("sealing.keys")).exists();
            assertThat(irisx.health().status()).isEqualTo(Health.Status.UP);
        });
    }

    @Test
    void the_application_data_source_needs_sealing_keys_and_the_failure_names_the_property() {
        runner().withUserConfiguration(H2DataSource.class).run(context -> {
            assertThat(context).hasFailed();
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.sealing-keys");
            assertThat(failure.getMessage()).contains("irisx.sealing-keys", "DataSource", "openssl rand -base64 32");
        });
    }

    @Test
    void with_sealing_keys_the_runtime_stores_in_the_application_data_source() {
        runner().withUserConfiguration(H2DataSource.class)
                .withPropertyValues("irisx.sealing-keys=" + sealingKey("k2") + "\n" + sealingKey("k1"))
                .run(context -> {
                    Irisx irisx = context.getBean(Irisx.class);
                    assertThat(irisx.database().dataSource()).isSameAs(context.getBean(DataSource.class));
                    assertThat(irisx.sealer().keys().primaryKeyId()).isEqualTo("k2");
                    assertThat(irisx.sealer().keys().keyIds()).containsExactly("k2", "k1");
                    assertThat(data.resolve("sealing.keys")).doesNotExist();
                });
    }

    @Test
    void a_sealing_keys_bean_stands_in_for_the_property() {
        runner().withUserConfiguration(H2DataSource.class)
                .withBean(SealingKeys.class, () -> SealingKeys.generate("vault-1"))
                .run(context -> assertThat(context.getBean(Irisx.class).sealer().keys().primaryKeyId())
                        .isEqualTo("vault-1"));
    }

    @Test
    void malformed_sealing_keys_are_refused_without_showing_the_key_material() {
        String key = sealingKey("k1");
        runner().withPropertyValues("irisx.sealing-keys=" + key.substring(3)).run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.sealing-keys");
            assertThat(failure.getMessage()).contains("line 1").doesNotContain(key.substring(3));
        });
    }

    @Test
    void several_data_sources_without_a_primary_one_are_refused_rather_than_guessed() {
        runner().withBean("first", DataSource.class, H2DataSource::inMemory)
                .withBean("second", DataSource.class, H2DataSource::inMemory)
                .withPropertyValues("irisx.sealing-keys=" + sealingKey("k1"))
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("several DataSource beans and none is @Primary"));
    }

    @Test
    void the_primary_data_source_is_the_one_irisx_stores_in() {
        runner().withUserConfiguration(TwoDataSources.class)
                .withPropertyValues("irisx.sealing-keys=" + sealingKey("k1"))
                .run(context -> assertThat(context.getBean(Irisx.class).database().dataSource())
                        .isSameAs(context.getBean("primary")));
    }

    @Test
    void a_maximum_lag_irisx_refuses_is_reported_under_its_property_with_its_value() {
        runner().withPropertyValues("irisx.max-lag=0s").run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo("irisx.max-lag");
            assertThat(failure.getMessage()).contains("must be positive, was PT0S");
        });
    }

    @Test
    void the_jetstream_outbox_needs_irisx_queue_on_the_class_path() {
        runner().withClassLoader(new FilteredClassLoader(JetStreamOutbox.class))
                .withPropertyValues("irisx.outbox.type=jetstream").run(context -> {
                    IrisxPropertyException failure = propertyFailure(context);
                    assertThat(failure.property()).isEqualTo("irisx.outbox.type");
                    assertThat(failure.getMessage()).contains("io.irisx:irisx-queue");
                });
    }

    @Test
    void the_jetstream_outbox_is_built_from_its_properties() {
        String namespace = TestNats.namespace();
        try {
            runner().withPropertyValues("irisx.outbox.type=jetstream", "irisx.outbox.jetstream.url=" + TestNats.url(),
                    "irisx.outbox.jetstream.namespace=" + namespace).run(context -> {
                        Outbox outbox = context.getBean(Irisx.class).outbox();
                        assertThat(outbox).isInstanceOf(JetStreamOutbox.class);
                        assertThat(((JetStreamOutbox) outbox).streams().values())
                                .allSatisfy(stream -> assertThat(stream.name()).startsWith(namespace + "_"));
                        assertThat(outbox.health().status()).isEqualTo(Health.Status.UP);
                    });
        } finally {
            TestNats.deleteStreams(namespace);
        }
    }

    @Test
    void a_jetstream_url_irisx_refuses_is_reported_under_its_property() {
        runner().withPropertyValues("irisx.outbox.type=jetstream", "irisx.outbox.jetstream.url=http://nats:4222")
                .run(context -> assertThat(propertyFailure(context).property())
                        .isEqualTo("irisx.outbox.jetstream.url"));
    }

    @Test
    void the_application_outbox_factory_replaces_the_configured_one() {
        AtomicBoolean used = new AtomicBoolean();
        runner().withPropertyValues("irisx.outbox.type=jetstream")
                .withBean(Outbox.Factory.class, () -> (database, clock, events) -> {
                    used.set(true);
                    return JdbcOutbox.factory().create(database, clock, events);
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(used).isTrue();
                });
    }

    @Test
    void the_application_modules_are_installed_after_the_starters() {
        runner().withBean(AuditModule.class, () -> new AuditModule(Health.Status.UP)).run(context -> {
            Irisx irisx = context.getBean(Irisx.class);
            assertThat(irisx.modules()).containsExactly("webhooks", "audit");
            assertThat(irisx.health().checks()).extracting(Health.Check::name).contains("audit");
        });
    }

    @Test
    void customizers_change_the_builder_before_the_runtime_is_built() {
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        List<Event> events = new CopyOnWriteArrayList<>();
        runner().withPropertyValues("irisx.email.send-only=true")
                .withBean("clock", IrisxBuilderCustomizer.class, () -> builder -> builder.clock(clock))
                .withBean("auditSink", IrisxBuilderCustomizer.class, () -> builder -> builder.eventSink(events::add))
                .run(context -> {
                    Irisx irisx = context.getBean(Irisx.class);
                    assertThat(irisx.clock()).isSameAs(clock);
                    EmailClient.of(irisx.tenant("acme")).send(EmailMessage.builder().from("billing@acme.example")
                            .to("ada@example.com").subject("Your receipt").text("Thank you.").build());
                    assertThat(events).extracting(Event::type).contains(EventType.EMAIL_QUEUED);
                    assertThat(events).extracting(Event::occurredAt).containsOnly(clock.instant());
                });
    }

    @Test
    void the_application_meter_registry_meters_the_outbox() {
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            context.getBean(Irisx.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("irisx.outbox.backlog").gauges()).isNotEmpty();
        });
    }

    @Test
    void an_application_runtime_replaces_the_starters_and_is_closed_with_the_context() {
        Irisx own = Irisx.builder().dataDirectory(data.resolve("own")).build();
        runner().withBean(Irisx.class, () -> own).run(context -> {
            assertThat(context.getBean(Irisx.class)).isSameAs(own);
            assertThat(own.modules()).isEmpty();
        });
        assertThatThrownBy(() -> own.tenant("acme")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void the_runtime_closes_when_the_context_closes_after_the_web_servers_lifecycle_phases() {
        List<String> stops = new CopyOnWriteArrayList<>();
        Irisx[] runtime = new Irisx[1];
        runner().withBean(WebServerStopProbe.class, () -> new WebServerStopProbe(stops, () -> runtime[0]))
                .run(context -> {
                    runtime[0] = context.getBean(Irisx.class);
                    assertThat(context.getBean(IrisxLifecycle.class).getPhase())
                            .isLessThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024);
                });
        assertThat(stops).containsExactly("web server stopped while irisx was open");
        assertThatThrownBy(() -> runtime[0].tenant("acme")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void a_stopped_context_cannot_start_its_closed_runtime_again() {
        runner().run(context -> {
            context.stop();
            assertThatThrownBy(() -> context.getBean(Irisx.class).tenant("acme"))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(context::start).rootCause()
                    .hasMessageContaining("cannot start again: restart the application");
        });
    }

    @Test
    void modules_left_out_are_named_at_startup_with_the_reason(CapturedOutput output) {
        runner().run(context -> {
            assertThat(context.getBean(Irisx.class).modules()).containsExactly("webhooks");
            assertThat(output).contains("the email module is on the class path but not installed: no provider "
                    + "is configured (irisx.email.postmark.server-token")
                    .contains("the sms module is on the class path but not installed: no provider is configured "
                            + "(irisx.sms.twilio.account-sid) and irisx.sms.send-only is false");
        });
    }

    @Test
    void the_applications_flyway_migrates_before_irisx_so_that_a_restart_finds_its_history() {
        ApplicationContextRunner withFlyway = runner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        FlywayAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        "irisx.sealing-keys=" + sealingKey("k1"));
        withFlyway.run(context -> assertThat(context).hasNotFailed().hasSingleBean(Flyway.class));
        withFlyway.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Irisx.class).modules()).containsExactly("webhooks");
        });
    }

    @Test
    void an_application_stopped_by_a_property_says_which_and_what_to_do(CapturedOutput output) {
        // spring-boot-starter-jdbc without a URL: Spring Boot makes an embedded DataSource on the H2 that comes with
        // IRISX, so IRISX stores there and asks for sealing keys.
        SpringApplication application = new SpringApplicationBuilder(AutoConfigured.class)
                .web(WebApplicationType.NONE).properties("irisx.data-directory=" + data).build();

        assertThatThrownBy(application::run).hasRootCauseInstanceOf(IrisxPropertyException.class);

        assertThat(output).contains("APPLICATION FAILED TO START",
                "IRISX cannot start with the property irisx.sealing-keys: is required when IRISX stores in the "
                        + "application's DataSource", "Set or correct irisx.sealing-keys");
    }

    @Test
    void irisx_enabled_false_builds_no_runtime() {
        runner().withPropertyValues("irisx.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(Irisx.class).hasNotFailed());
    }

    /** An application configured by Spring Boot's auto-configuration alone. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AutoConfigured {
    }
}
