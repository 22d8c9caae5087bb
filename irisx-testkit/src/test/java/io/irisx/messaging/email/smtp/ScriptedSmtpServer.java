package io.irisx.messaging.email.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small SMTP server (RFC 5321) on 127.0.0.1 that speaks the protocol's real exchange — greeting, EHLO, MAIL FROM,
 * RCPT TO, DATA, QUIT — and gives one scripted reply at one step, for the answers GreenMail cannot give. It records
 * the commands it received. With {@link Step#NEVER_GREET} it accepts the connection and says nothing.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    /** Where the scripted reply replaces the usual positive one. */
    enum Step { NEVER_GREET, GREETING, MAIL, RCPT, DATA_END, NONE }

    private final ServerSocket socket;
    private final Step step;
    private final String reply;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread thread;

    ScriptedSmtpServer(Step step, String reply) throws IOException {
        this.socket = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        this.step = step;
        this.reply = reply;
        this.thread = new Thread(this::serve, "scripted-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The commands received, in order, as the client sent them. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                if (step != Step.NEVER_GREET) {
                    converse(connection);
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket connection) throws IOException {
        try (connection) {
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = connection.getOutputStream();
            if (step == Step.GREETING) {
                send(out, reply);
                return;
            }
            send(out, "220 scripted.test ESMTP ready");
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
                String answer = switch (verb) {
                    case "EHLO" -> "250-scripted.test\r\n250-8BITMIME\r\n250 SIZE 10240000";
                    case "HELO" -> "250 scripted.test";
                    case "MAIL" -> step == Step.MAIL ? reply : "250 2.1.0 Ok";
                    case "RCPT" -> step == Step.RCPT ? reply : "250 2.1.5 Ok";
                    case "DATA" -> {
                        send(out, "354 End data with <CR><LF>.<CR><LF>");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the message itself is not kept
                        }
                        yield step == Step.DATA_END ? reply : "250 2.0.0 Ok: queued as 4F2A1B3C";
                    }
                    case "RSET", "NOOP" -> "250 2.0.0 Ok";
                    case "QUIT" -> "221 2.0.0 Bye";
                    default -> "502 5.5.2 Error: command not recognized";
                };
                send(out, answer);
                if (verb.equals("QUIT") || answer.startsWith("421")) {
                    return; // RFC 5321 §3.8: after a 421 the server closes the connection
                }
            }
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
