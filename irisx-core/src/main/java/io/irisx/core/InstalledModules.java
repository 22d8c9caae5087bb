package io.irisx.core;

import io.irisx.core.event.EventSink;
import io.irisx.core.health.HealthCheck;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.secret.SecretSealer;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import io.irisx.core.store.Database;
import io.irisx.core.usage.PriceBook;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules installed into one runtime and the workers they started: installed one at a time while the runtime
 * is built, then only read; the workers closed last-registered first. Thread-safe once the runtime is built.
 */
final class InstalledModules {

    private static final Logger log = LoggerFactory.getLogger(InstalledModules.class);

    /** What the runtime hands every module. */
    record Runtime(Database database, Clock clock, SecretSealer sealer, Outbox outbox, RuntimeEvents events,
            RateLimiter rateLimiter, PriceBook prices, Consumer<HealthCheck> healthChecks, Object meterRegistry) {
    }

    private final Runtime runtime;
    private final Map<Class<?>, IrisxModule> modules = new LinkedHashMap<>();
    private final Deque<AutoCloseable> workers = new ArrayDeque<>();

    InstalledModules(Runtime runtime) {
        this.runtime = runtime;
    }

    /** Installs {@code module} through a context valid until it returns. */
    synchronized void install(IrisxModule module) {
        String name = Objects.requireNonNull(module.name(), "module name");
        Context context = new Context();
        try {
            module.install(context);
        } finally {
            context.done = true;
        }
        modules.put(module.getClass(), module);
        log.debug("irisx: module {} installed", name);
    }

    /** The installed module of {@code type}, if any. */
    synchronized <M extends IrisxModule> Optional<M> find(Class<M> type) {
        return Optional.ofNullable(modules.get(type)).map(type::cast);
    }

    /** The installed modules, in installation order. */
    synchronized List<IrisxModule> all() {
        return List.copyOf(modules.values());
    }

    /** The modules' names, in installation order. */
    synchronized List<String> names() {
        return modules.values().stream().map(IrisxModule::name).toList();
    }

    /**
     * Closes every worker, last registered first, each even when one before it failed; returns the first failure
     * with the others suppressed in it, or null.
     */
    synchronized RuntimeException closeWorkers() {
        RuntimeException failure = null;
        while (!workers.isEmpty()) {
            AutoCloseable worker = workers.pop();
            try {
                worker.close();
            } catch (Exception e) {
                log.error("irisx: closing {} failed", worker, e);
                RuntimeException thrown = e instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("closing " + worker + " failed", e);
                if (failure == null) {
                    failure = thrown;
                } else {
                    failure.addSuppressed(thrown);
                }
            }
        }
        return failure;
    }

    /** What a module is installed through; it adds to the runtime only while the module installs. */
    private final class Context implements ModuleContext {
        private volatile boolean done;

        @Override
        public Database database() {
            return runtime.database();
        }

        @Override
        public Clock clock() {
            return runtime.clock();
        }

        @Override
        public SecretSealer sealer() {
            return runtime.sealer();
        }

        @Override
        public Outbox outbox() {
            return runtime.outbox();
        }

        @Override
        public RateLimiter rateLimiter() {
            return runtime.rateLimiter();
        }

        @Override
        public PriceBook prices() {
            return runtime.prices();
        }

        @Override
        public EventSink events() {
            return runtime.events();
        }

        @Override
        public void addEventSink(EventSink sink) {
            requireInstalling();
            runtime.events().add(sink);
        }

        @Override
        public void addHealthCheck(HealthCheck check) {
            requireInstalling();
            runtime.healthChecks().accept(Objects.requireNonNull(check, "check"));
        }

        @Override
        public void onClose(AutoCloseable resource) {
            requireInstalling();
            workers.push(Objects.requireNonNull(resource, "resource"));
        }

        @Override
        public Optional<Object> meterRegistry() {
            return Optional.ofNullable(runtime.meterRegistry());
        }

        @Override
        public <M extends IrisxModule> Optional<M> module(Class<M> type) {
            return find(type);
        }

        private void requireInstalling() {
            if (done) {
                throw new IllegalStateException("a module adds to the runtime only while it is installed");
            }
        }
    }
}
