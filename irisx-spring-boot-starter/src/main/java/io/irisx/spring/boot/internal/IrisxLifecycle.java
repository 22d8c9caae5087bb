package io.irisx.spring.boot.internal;

import io.irisx.core.Irisx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the application's IRISX runtimes when the application context stops, late: after the web server has
 * finished its requests in flight and stopped (Spring Boot's graceful shutdown runs at
 * {@code DEFAULT_PHASE - 1024}, the server stops at {@code DEFAULT_PHASE - 2048}), and after the listener containers
 * and executors of the default phase, so that what they queue is still taken. Closing stops the modules' workers,
 * each finishing its deliveries in progress, then the outbox, then the runtime's database pool. Thread-safe.
 *
 * <p>A stopped context cannot start its runtimes again: restart the application instead.
 */
public final class IrisxLifecycle implements SmartLifecycle {

    /** The phase the runtimes close in: below the web server's stop, its graceful shutdown and the default phase. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(IrisxLifecycle.class);

    private final List<Irisx> runtimes;
    private volatile boolean running;
    private volatile boolean closed;

    /** Closes {@code runtimes} when the context stops. */
    public IrisxLifecycle(List<Irisx> runtimes) {
        this.runtimes = List.copyOf(runtimes);
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the IRISX runtime was closed when the application context stopped and "
                    + "cannot start again: restart the application");
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        closed = true;
        log.info("irisx: closing the runtime after the application's requests and listeners have stopped");
        RuntimeException failure = null;
        for (Irisx irisx : runtimes) {
            try {
                irisx.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
