package io.irisx.voice.freeswitch.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local server speaking FreeSWITCH's Event Socket, inbound side, byte by byte as mod_event_socket does
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Client-and-Developer-Interfaces/Event-Socket-Library/
 * and .../mod_event_socket_1048924/): on connect {@code Content-Type: auth/request}; {@code auth <password>} answered
 * {@code +OK accepted}, or {@code -ERR invalid} then a {@code text/disconnect-notice} and the socket closed;
 * {@code event plain|json …} answered {@code +OK event listener enabled plain|json}; {@code api <cmd>} answered with an
 * {@code api/response} whose body is the command's output; {@code bgapi <cmd>} answered
 * {@code +OK Job-UUID: <uuid>} (the client's own {@code Job-UUID} header when it sent one); {@code sendmsg <uuid>}
 * answered {@code +OK}; {@code exit} answered {@code +OK bye} and a disconnect notice. It writes every answer in
 * fragments of a few bytes, each flushed, so the client sees frames split anywhere. Commands are not parsed by IRISX's
 * codec: this server cuts them at the blank line itself.
 */
public final class LocalFreeSwitch implements AutoCloseable {

    /** A command the client sent: its first line and its header lines. */
    public record Command(String line, Map<String, String> headers) {
        public String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    public final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    /** Every command received, in order; unlike {@link #commands}, never taken from. */
    public final List<Command> received = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final String password;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> api = command -> "-ERR " + command.split(" ")[0] + " Command not found!\n";
    private volatile Function<Command, String> bgapi = command -> "+OK\n";
    private volatile String format = "plain";
    private volatile int fragment = 3;
    private volatile String dropAt;
    private volatile boolean replyBeforeDrop;

    public LocalFreeSwitch(String password) throws IOException {
        this.password = password;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "local-freeswitch");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** What {@code api <command>} outputs. */
    public LocalFreeSwitch api(Function<String, String> api) {
        this.api = api;
        return this;
    }

    /** What a {@code bgapi} job outputs, in its BACKGROUND_JOB event's body; null for no event. */
    public LocalFreeSwitch bgapi(Function<Command, String> bgapi) {
        this.bgapi = bgapi;
        return this;
    }

    /** The size of the fragments answers are written in. */
    public LocalFreeSwitch fragments(int bytes) {
        this.fragment = bytes;
        return this;
    }

    /**
     * Drops the connection once, at the next {@code sendmsg} executing {@code app}: after its reply when
     * {@code replyFirst}, else without replying (the client cannot know whether it ran).
     */
    public LocalFreeSwitch dropAt(String app, boolean replyFirst) {
        this.replyBeforeDrop = replyFirst;
        this.dropAt = app;
        return this;
    }

    /** The format the client last subscribed in. */
    public String format() {
        return format;
    }

    /** The next command the client sent whose line starts with {@code prefix}, skipping others; fails after 10 s. */
    public Command next(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Command c = commands.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError("no command starting with '" + prefix + "' came within 10 s");
            }
            if (c.line().startsWith(prefix)) {
                return c;
            }
        }
    }

    /** Sends an event to every client subscribed, in the format it subscribed in. */
    public void event(Map<String, String> headers, String body) {
        String frame = format.equals("json") ? EslStreams.json(headers, body) : EslStreams.plain(headers, body);
        for (Socket client : clients) {
            write(client, frame);
        }
    }

    /** Sends raw bytes to every client. */
    public void raw(String bytes) {
        for (Socket client : clients) {
            write(client, bytes);
        }
    }

    /** Drops every client mid-stream, as a crash or a network failure would, without a disconnect notice. */
    public void drop() throws IOException {
        for (Socket client : clients) {
            client.close();
            clients.remove(client);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        drop();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(client), "local-freeswitch-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            write(client, EslStreams.authRequest());
            boolean authed = false;
            while (true) {
                Command command = read(in);
                if (command == null) {
                    return;
                }
                commands.add(command);
                received.add(command);
                String line = command.line();
                if (!authed) {
                    if (line.equals("auth " + password)) {
                        authed = true;
                        clients.add(client);
                        write(client, EslStreams.reply("+OK accepted"));
                    } else if (line.startsWith("auth ")) {
                        write(client, EslStreams.reply("-ERR invalid") + EslStreams.disconnect());
                        return;
                    } else {
                        write(client, EslStreams.reply("-ERR command not found"));
                    }
                } else if (line.startsWith("event ")) {
                    String[] words = line.split(" ");
                    format = words[1];
                    write(client, EslStreams.reply("+OK event listener enabled " + words[1]));
                } else if (line.startsWith("api ")) {
                    write(client, EslStreams.api(api.apply(line.substring(4))));
                } else if (line.startsWith("bgapi ")) {
                    String job = command.header("Job-UUID");
                    write(client, EslStreams.bgapiReply(job));
                    String output = bgapi.apply(command);
                    if (output != null) {
                        event(EslStreams.headers("Event-Name", "BACKGROUND_JOB", "Job-UUID", job, "Job-Command",
                                line.substring(6).split(" ")[0]), output);
                    }
                } else if (line.startsWith("sendmsg ")) {
                    if (command.header("execute-app-name").equals(dropAt)) {
                        dropAt = null;
                        if (replyBeforeDrop) {
                            write(client, EslStreams.reply("+OK"));
                        }
                        clients.remove(client);
                        return;
                    }
                    write(client, EslStreams.reply("+OK"));
                } else if (line.equals("exit")) {
                    write(client, EslStreams.reply("+OK bye") + EslStreams.disconnect());
                    clients.remove(client);
                    return;
                } else {
                    write(client, EslStreams.reply("-ERR command not found"));
                }
            }
        } catch (IOException e) {
            // The client went away.
        } finally {
            clients.remove(client);
        }
    }

    /** One command, cut at its blank line; null at the end of the stream. */
    private static Command read(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n' && previous == '\n') {
                String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\n");
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(": ");
                    headers.put(lines[i].substring(0, colon), lines[i].substring(colon + 2));
                }
                return new Command(lines[0], headers);
            }
            if (!(b == '\n' && buffer.size() == 0)) {
                buffer.write(b);
            }
            previous = b;
        }
        return null;
    }

    private void write(Socket client, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        synchronized (client) {
            try {
                OutputStream out = client.getOutputStream();
                for (int at = 0; at < bytes.length; at += fragment) {
                    out.write(bytes, at, Math.min(fragment, bytes.length - at));
                    out.flush();
                }
            } catch (IOException e) {
                clients.remove(client);
            }
        }
    }
}
