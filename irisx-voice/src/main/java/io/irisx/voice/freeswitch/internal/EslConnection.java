package io.irisx.voice.freeswitch.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inbound Event Socket client: connects to FreeSWITCH's {@code mod_event_socket}, answers its
 * {@code auth/request} with {@code auth <password>}, subscribes with {@code event plain|json <events>}, then sends
 * {@code api}, {@code bgapi} and {@code sendmsg} commands and hands each event to its listener; thread-safe.
 *
 * <p>FreeSWITCH answers commands in the order they were sent ({@code command/reply}, or {@code api/response} for
 * {@code api}), so replies are matched to a queue of commands waiting; a {@code bgapi} command carries a
 * {@code Job-UUID} of its own, whose {@code BACKGROUND_JOB} event completes its job. Events are handed to the
 * listener in order on one thread of their own, so a listener may send commands and wait for their replies.
 *
 * <p>When the connection drops (or FreeSWITCH restarts) the commands waiting fail, and it connects again after a
 * backoff that doubles from {@code initialBackoff} to {@code maxBackoff}, authenticates and subscribes again, and
 * tells the listener. A refused password stops it: it is logged (never the password) and every command fails until
 * the host fixes the configuration and builds a new connection.
 */
public final class EslConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EslConnection.class);

    /** What the connection hands on: events, and each time it is (again) authenticated and subscribed. */
    public interface Listener {
        /** An event FreeSWITCH sent. */
        void event(EslEvent event);

        /** The connection is up and subscribed; {@code again} after a reconnection. */
        default void connected(boolean again) {
        }
    }

    private final String host;
    private final int port;
    private final String password;
    private final String subscription;
    private final Listener listener;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration replyTimeout;
    private final ExecutorService events;
    private final Thread thread;
    private final Object lock = new Object();
    private final Deque<CompletableFuture<EslMessage>> waiting = new ArrayDeque<>();
    private final Map<String, CompletableFuture<EslEvent>> jobs = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private Socket socket;
    private OutputStream out;
    private boolean up;
    private volatile boolean closed;
    private volatile EslException failure;

    private EslConnection(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.password = b.password;
        this.subscription = "event " + b.format + " " + String.join(" ", b.events);
        this.listener = b.listener;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.replyTimeout = b.replyTimeout;
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "irisx-esl-events-" + host + ":" + port);
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "irisx-esl-" + host + ":" + port);
        this.thread.setDaemon(true);
    }

    /** A builder for a connection to {@code host:port} authenticating with {@code password}. */
    public static Builder builder(String host, int port, String password) {
        return new Builder(host, port, password);
    }

    /** Starts connecting, in the background; {@link #awaitUp} waits for it. */
    public EslConnection start() {
        thread.start();
        return this;
    }

    /** Whether it is authenticated and subscribed now. */
    public boolean isUp() {
        synchronized (lock) {
            return up;
        }
    }

    /** How many times it has been authenticated and subscribed. */
    public long connections() {
        return connections.get();
    }

    /**
     * Waits up to {@code timeout} for the connection to be up.
     *
     * @throws EslException when FreeSWITCH refused the password
     */
    public boolean awaitUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!up && failure == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return up;
        }
    }

    /** Runs {@code api <command>} and returns FreeSWITCH's response (its body is the command's output). */
    public EslMessage api(String command) {
        return send("api " + command, Map.of());
    }

    /**
     * Runs {@code bgapi <command>} under a {@code Job-UUID} of its own: the reply says FreeSWITCH took the job, and the
     * returned future completes with the job's {@code BACKGROUND_JOB} event (its body is the output).
     *
     * @throws EslException when the command got no reply; a refusal is the reply's {@code -ERR}, in the future's
     *     failure
     */
    public CompletableFuture<EslEvent> bgapi(String command, String jobUuid) {
        CompletableFuture<EslEvent> job = new CompletableFuture<>();
        jobs.put(jobUuid, job);
        try {
            EslMessage reply = send("bgapi " + command, Map.of("Job-UUID", jobUuid));
            if (!reply.isOk()) {
                jobs.remove(jobUuid);
                job.completeExceptionally(new IllegalStateException(reply.replyText()));
            }
        } catch (RuntimeException e) {
            jobs.remove(jobUuid);
            throw e;
        }
        return job;
    }

    /** Runs {@code bgapi <command>} under a new random {@code Job-UUID}. */
    public CompletableFuture<EslEvent> bgapi(String command) {
        return bgapi(command, UUID.randomUUID().toString());
    }

    /**
     * Asks channel {@code uuid} to run application {@code app} with {@code arg}, after the applications it was asked
     * to run before ({@code event-lock}); {@code eventUuid} comes back as the {@code Application-UUID} of the
     * application's {@code CHANNEL_EXECUTE} and {@code CHANNEL_EXECUTE_COMPLETE} events.
     */
    public EslMessage execute(String uuid, String app, String arg, String eventUuid) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("call-command", "execute");
        headers.put("execute-app-name", app);
        if (!arg.isEmpty()) {
            headers.put("execute-app-arg", arg);
        }
        headers.put("event-lock", "true");
        headers.put("Event-UUID", eventUuid);
        return send("sendmsg " + uuid, headers);
    }

    /**
     * Sends {@code line} with {@code headers} and waits for its reply.
     *
     * @throws EslException when the connection is down, is lost before the reply, or the reply takes longer than the
     *     reply timeout
     */
    public EslMessage send(String line, Map<String, String> headers) {
        byte[] frame = EslCommands.frame(line, headers);
        String verb = line.split(" ", 2)[0];
        CompletableFuture<EslMessage> reply = new CompletableFuture<>();
        synchronized (lock) {
            if (failure != null) {
                throw failure;
            }
            if (!up) {
                throw new EslException("the Event Socket to " + host + ":" + port + " is not connected; " + verb
                        + " was not sent", false, false, null);
            }
            try {
                out.write(frame);
                out.flush();
                waiting.add(reply);
            } catch (IOException e) {
                dropped(socket);
                throw new EslException("writing " + verb + " to " + host + ":" + port + " failed: " + e.getMessage(),
                        true, false, e);
            }
        }
        try {
            return reply.get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new EslException("no reply to " + verb + " from " + host + ":" + port + " within " + replyTimeout,
                    true, false, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof EslException esl ? esl
                    : new EslException(verb + " failed: " + e.getCause(), true, false, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EslException("interrupted waiting for the reply to " + verb, true, false, e);
        }
    }

    /** Stops: says {@code exit} if connected, closes the socket, and fails the commands waiting. */
    @Override
    public void close() {
        closed = true;
        Socket current;
        synchronized (lock) {
            current = socket;
            if (up) {
                try {
                    out.write(EslCommands.frame("exit"));
                    out.flush();
                } catch (IOException ignored) {
                    // Closing anyway.
                }
            }
            lock.notifyAll();
        }
        dropped(current);
        thread.interrupt();
        events.shutdown();
    }

    @Override
    public String toString() {
        return "EslConnection[" + host + ":" + port + (isUp() ? ", up" : ", down") + "]";
    }

    private void run() {
        long backoff = initialBackoff.toMillis();
        boolean again = false;
        while (!closed) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) Math.max(1, replyTimeout.toMillis()));
                s.setTcpNoDelay(true);
                EslDecoder decoder = new EslDecoder();
                InputStream in = s.getInputStream();
                List<EslMessage> pending = new ArrayList<>();
                handshake(s, in, decoder, pending);
                backoff = initialBackoff.toMillis();
                connections.incrementAndGet();
                log.info("irisx voice: Event Socket {}:{} {}connected and subscribed", host, port,
                        again ? "re" : "");
                boolean reconnected = again;
                events.execute(() -> safely(() -> listener.connected(reconnected)));
                again = true;
                pending.forEach(this::dispatch);
                read(in, decoder);
                if (!closed) {
                    log.warn("irisx voice: Event Socket {}:{} closed by FreeSWITCH; reconnecting", host, port);
                }
            } catch (EslException e) {
                if (e.authentication()) {
                    log.error("irisx voice: {}", e.getMessage());
                    synchronized (lock) {
                        failure = e;
                        lock.notifyAll();
                    }
                    return;
                }
                log.warn("irisx voice: Event Socket {}:{}: {}; reconnecting", host, port, e.getMessage());
            } catch (IOException | EslProtocolException e) {
                if (!closed) {
                    log.warn("irisx voice: Event Socket {}:{} lost: {}; reconnecting in {} ms", host, port,
                            e.getMessage(), backoff);
                }
            } finally {
                down();
            }
            if (!pause(backoff)) {
                return;
            }
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }

    /** Authenticates and subscribes on a fresh socket; messages that arrive meanwhile go to {@code pending}. */
    private void handshake(Socket s, InputStream in, EslDecoder decoder, List<EslMessage> pending)
            throws IOException {
        s.setSoTimeout((int) Math.max(1, replyTimeout.toMillis()));
        try {
            expect(in, decoder, pending, EslMessage.AUTH_REQUEST);
            OutputStream o = s.getOutputStream();
            o.write(EslCommands.frame("auth " + password));
            o.flush();
            EslMessage auth = expect(in, decoder, pending, EslMessage.COMMAND_REPLY);
            if (!auth.isOk()) {
                throw new EslException("FreeSWITCH at " + host + ":" + port + " refused the Event Socket password"
                        + " (not shown): " + auth.replyText() + "; set the password of its event_socket.conf.xml",
                        true, true, null);
            }
            o.write(EslCommands.frame(subscription));
            o.flush();
            EslMessage subscribed = expect(in, decoder, pending, EslMessage.COMMAND_REPLY);
            if (!subscribed.isOk()) {
                throw new EslException("FreeSWITCH at " + host + ":" + port + " refused '" + subscription + "': "
                        + subscribed.replyText(), true, false, null);
            }
            s.setSoTimeout(0);
            synchronized (lock) {
                socket = s;
                out = o;
                up = !closed;
                lock.notifyAll();
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer during authentication within " + replyTimeout, e);
        }
    }

    private EslMessage expect(InputStream in, EslDecoder decoder, List<EslMessage> pending, String type)
            throws IOException {
        byte[] chunk = new byte[8192];
        while (true) {
            for (int i = 0; i < pending.size(); i++) {
                if (pending.get(i).contentType().equals(type)) {
                    return pending.remove(i);
                }
                if (pending.get(i).contentType().equals(EslMessage.RUDE_REJECTION)) {
                    throw new EslException("FreeSWITCH at " + host + ":" + port + " rejected the connection (its"
                            + " event socket ACL): " + pending.get(i).body().strip(), false, true, null);
                }
            }
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("FreeSWITCH closed the socket before " + type);
            }
            pending.addAll(decoder.feed(chunk, 0, n));
        }
    }

    private void read(InputStream in, EslDecoder decoder) throws IOException {
        byte[] chunk = new byte[16384];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            for (EslMessage message : decoder.feed(chunk, 0, n)) {
                dispatch(message);
            }
        }
    }

    private void dispatch(EslMessage message) {
        switch (message.contentType()) {
            case EslMessage.COMMAND_REPLY, EslMessage.API_RESPONSE -> {
                CompletableFuture<EslMessage> reply;
                synchronized (lock) {
                    reply = waiting.poll();
                }
                if (reply == null) {
                    log.debug("irisx voice: a {} nobody waits for from {}:{}", message.contentType(), host, port);
                } else {
                    reply.complete(message);
                }
            }
            case EslMessage.EVENT_PLAIN, EslMessage.EVENT_JSON -> {
                EslEvent event = EslEvent.parse(message);
                if (event.name().equals("BACKGROUND_JOB")) {
                    CompletableFuture<EslEvent> job = event.header("Job-UUID").map(jobs::remove).orElse(null);
                    if (job != null) {
                        job.complete(event);
                    }
                }
                events.execute(() -> safely(() -> listener.event(event)));
            }
            case EslMessage.DISCONNECT_NOTICE -> log.info("irisx voice: FreeSWITCH {}:{} is closing the Event Socket",
                    host, port);
            case EslMessage.LOG_DATA, EslMessage.AUTH_REQUEST -> log.debug("irisx voice: {} from {}:{} ignored",
                    message.contentType(), host, port);
            default -> throw new EslProtocolException("a message from FreeSWITCH must have a known Content-Type, had '"
                    + EslProtocolException.shown(message.contentType()) + "'");
        }
    }

    private void safely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("irisx voice: the Event Socket listener of {}:{} failed: {}", host, port, e.toString(), e);
        }
    }

    /** Marks the connection down and fails the replies waiting; jobs are kept, their events may still come. */
    private void down() {
        List<CompletableFuture<EslMessage>> lost;
        synchronized (lock) {
            up = false;
            socket = null;
            out = null;
            lost = new ArrayList<>(waiting);
            waiting.clear();
        }
        EslException gone = new EslException("the Event Socket to " + host + ":" + port
                + " was lost before the reply", true, false, null);
        lost.forEach(reply -> reply.completeExceptionally(gone));
    }

    private void dropped(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }

    /** Waits {@code millis} unless closed meanwhile; false when closed. */
    private boolean pause(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return false;
        }
    }

    /** Builds an {@link EslConnection}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final String password;
        private String format = "plain";
        private List<String> events = List.of("ALL");
        private Listener listener = event -> { };
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration replyTimeout = Duration.ofSeconds(10);

        private Builder(String host, int port, String password) {
            this.host = Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
            }
            this.port = port;
            Objects.requireNonNull(password, "password");
            if (password.isEmpty() || password.chars().anyMatch(c -> c == '\n' || c == '\r')) {
                throw new IllegalArgumentException("password must be non-empty and on one line (not shown)");
            }
            this.password = password;
        }

        /** The events to subscribe to, in {@code plain} or {@code json}. */
        public Builder events(String format, List<String> events) {
            if (!format.equals("plain") && !format.equals("json")) {
                throw new IllegalArgumentException("format must be plain or json, was '" + format + "'");
            }
            if (events.isEmpty() || events.stream().anyMatch(e -> !e.matches("[A-Za-z_:]+"))) {
                throw new IllegalArgumentException("events must be event names such as CHANNEL_ANSWER, were "
                        + events);
            }
            this.format = format;
            this.events = List.copyOf(events);
            return this;
        }

        /** Who is handed the events. */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The first wait before reconnecting, doubled on each failure up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff must be positive and max at least initial, was "
                        + initial + " to " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** How long a command waits for its reply, and a connection for its handshake (default 10 s). */
        public Builder replyTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("replyTimeout must be positive, was " + timeout);
            }
            this.replyTimeout = timeout;
            return this;
        }

        /** The connection, not started. */
        public EslConnection build() {
            return new EslConnection(this);
        }
    }
}
