package io.irisx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.health.Health;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import io.irisx.core.tenant.TenantSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modules installed into the runtime: order, what they add through their context, and closing. */
class IrisxModulesTest {

    @TempDir
    Path data;

    /** A second module type, as the runtime keeps one module of each type. */
    record OtherModule(String name, java.util.function.Consumer<ModuleContext> onInstall) implements IrisxModule {
        @Override
        public void install(ModuleContext context) {
            onInstall.accept(context);
        }
    }

    @Test
    void modules_install_in_order_and_their_workers_close_last_installed_first_before_the_outbox() {
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<ModuleContext> first = new AtomicReference<>();
        Irisx irisx = Irisx.builder().dataDirectory(data)
                .install(new TestModule("first", context -> {
                    log.add("install first");
                    first.set(context);
                    context.onClose(() -> {
                        // The outbox is still open while the workers stop: they may finish their work through it.
                        context.outbox().publish(Envelope.of(TenantId.of("acme"), Channel.SMS, "{}"));
                        log.add("close first");
                    });
                }))
                .install(new OtherModule("second", context -> {
                    log.add("install second, sees first: " + context.module(TestModule.class).isPresent());
                    context.onClose(() -> log.add("close second"));
                }))
                .build();
        assertThat(irisx.modules()).containsExactly("first", "second");
        assertThat(irisx.tenant("acme").module(TestModule.class).name()).isEqualTo("first");

        irisx.close();
        irisx.close();

        assertThat(log).containsExactly("install first", "install second, sees first: true", "close second",
                "close first");
        assertThatThrownBy(() -> first.get().onClose(() -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a module adds to the runtime only while it is installed");
    }

    /** A module that notes each tenant whose settings the runtime says changed, then fails. */
    record FailingWatcher(String name, List<TenantId> changed) implements IrisxModule {
        @Override
        public void install(ModuleContext context) {
        }

        @Override
        public void settingsChanged(TenantId tenant) {
            changed.add(tenant);
            throw new IllegalStateException("the watcher failed");
        }
    }

    /** A module that notes each tenant whose settings the runtime says changed. */
    record Watcher(String name, List<TenantId> changed) implements IrisxModule {
        @Override
        public void install(ModuleContext context) {
        }

        @Override
        public void settingsChanged(TenantId tenant) {
            changed.add(tenant);
        }
    }

    @Test
    void every_module_is_told_of_a_settings_change_and_of_a_deletion_even_when_one_before_it_fails() {
        List<TenantId> failing = new CopyOnWriteArrayList<>();
        List<TenantId> watching = new CopyOnWriteArrayList<>();
        TenantId acme = TenantId.of("acme");
        try (Irisx irisx = Irisx.builder().dataDirectory(data)
                .install(new FailingWatcher("failing", failing))
                .install(new Watcher("watching", watching))
                .build()) {
            irisx.tenants().create(acme, "Acme", Map.of());
            assertThat(watching).isEmpty();

            irisx.tenants().updateSettings(acme, TenantSettings.builder().emailFrom("hello@acme.example").build());
            assertThat(failing).containsExactly(acme);
            assertThat(watching).containsExactly(acme);
            assertThat(irisx.tenants().settings(acme).emailFrom()).contains("hello@acme.example");

            irisx.tenants().delete(acme);
            assertThat(failing).containsExactly(acme, acme);
            assertThat(watching).containsExactly(acme, acme);
        }
    }

    @Test
    void a_worker_that_fails_to_close_does_not_keep_the_others_or_the_database_open() {
        List<String> closed = new CopyOnWriteArrayList<>();
        Irisx irisx = Irisx.builder().dataDirectory(data)
                .install(new TestModule("first", context -> context.onClose(() -> closed.add("first"))))
                .install(new OtherModule("second", context -> context.onClose(() -> {
                    throw new IllegalStateException("the provider's client would not stop");
                })))
                .build();

        assertThatThrownBy(irisx::close).isInstanceOf(IllegalStateException.class)
                .hasMessage("the provider's client would not stop");
        assertThat(closed).containsExactly("first");
        try (Irisx again = Irisx.builder().dataDirectory(data).build()) {
            assertThat(again.health().status()).isEqualTo(Health.Status.UP);
        }
    }

    @Test
    void a_module_not_installed_is_named_with_how_to_install_it() {
        try (Irisx irisx = Irisx.builder().dataDirectory(data).build()) {
            assertThatThrownBy(() -> irisx.tenant("acme").module(TestModule.class))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("TestModule is not installed in this runtime: add "
                            + "Irisx.builder().install(TestModule.builder()…build())");
        }
    }

    @Test
    void one_module_of_each_type_is_installed() {
        Irisx.Builder builder = Irisx.builder().install(new TestModule("a", context -> { }));
        assertThatThrownBy(() -> builder.install(new TestModule("b", context -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a TestModule is installed already: install one module of each type");
    }

    @Test
    void a_module_that_fails_to_install_closes_what_the_modules_before_it_opened_and_the_runtime_does_not_start() {
        List<String> closed = new CopyOnWriteArrayList<>();
        Irisx.Builder builder = Irisx.builder().dataDirectory(data)
                .install(new TestModule("first", context -> context.onClose(() -> closed.add("first worker"))))
                .install(new OtherModule("broken", context -> {
                    throw new IllegalStateException("the provider's SDK is missing");
                }));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("the provider's SDK is missing");
        assertThat(closed).containsExactly("first worker");
        // The database was released: the runtime starts again on the same files.
        try (Irisx again = Irisx.builder().dataDirectory(data).build()) {
            assertThat(again.modules()).isEmpty();
        }
    }

    @Test
    void a_module_adds_health_checks_and_meters_in_the_runtimes_registry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<Object> seenRegistry = new AtomicReference<>();
        try (Irisx irisx = Irisx.builder().dataDirectory(data).meterRegistry(registry)
                .install(new TestModule("checked", context -> {
                    context.addHealthCheck(() -> Health.Check.up("provider circuits", "2 closed"));
                    seenRegistry.set(context.meterRegistry().orElseThrow());
                })).build()) {
            assertThat(seenRegistry.get()).isSameAs(registry);
            assertThat(irisx.health().checks()).anySatisfy(check -> assertThat(check.name())
                    .isEqualTo("provider circuits"));
        }
        try (Irisx unmetered = Irisx.builder().dataDirectory(data)
                .install(new TestModule("unmetered", context -> seenRegistry.set(context.meterRegistry()))).build()) {
            assertThat(seenRegistry.get()).isEqualTo(java.util.Optional.empty());
        }
    }
}
