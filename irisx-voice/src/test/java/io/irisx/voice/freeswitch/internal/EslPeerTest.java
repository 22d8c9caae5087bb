package io.irisx.voice.freeswitch.internal;

import static io.irisx.voice.freeswitch.internal.EslStreams.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * IRISX's Event Socket codec against an independent implementation: the npm package {@code esl} 11.2.1
 * (https://www.npmjs.com/package/esl, "Client and Server for FreeSwitch Event System"), whose
 * {@code FreeSwitchClient} — an inbound client, as FreeSWITCH's own documentation describes the protocol
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Client-and-Developer-Interfaces/Event-Socket-Library/)
 * — connects to a server in this test that reads its commands with {@link EslDecoder} and answers as FreeSWITCH does.
 * Both sides must read the same things: the commands (auth, event, api, bgapi, sendmsg execute) as {@code esl} wrote
 * them, and the API response, plain and JSON events, the background job and the execute-complete event as this side
 * wrote them. Skipped only when {@code node} is not installed.
 */
class EslPeerTest {

    private static final String PASSWORD = "ClueCon-peer-7";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<EslMessage> commands = new ArrayList<>();
    private final List<String> eventsSent = new ArrayList<>();

    @Test
    void npm_esl_and_irisx_read_the_same_commands_responses_and_events() throws Exception {
        Assumptions.assumeTrue(NodePeer.available(), "node and npm are not on the PATH: the npm esl peer cannot run");
        Path peer = NodePeer.install();

        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serve(server));
            String output = NodePeer.run(peer, 60, "node", "peer.mjs", String.valueOf(server.getLocalPort()), PASSWORD);
            served.get(10, TimeUnit.SECONDS);

            List<JsonNode> lines = new ArrayList<>();
            for (String line : output.strip().split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
            assertThat(lines).noneMatch(l -> l.has("error"));
            assertThat(lines.get(0).get("step").asText()).isEqualTo("connected");
            assertThat(lines.get(1).get("body").asText()).isEqualTo(STATUS);

            // The commands esl wrote, as our decoder read them.
            assertThat(commands).extracting(c -> c.headers().keySet().iterator().next()).containsExactly(
                    "auth " + PASSWORD, "event json CHANNEL_EXECUTE_COMPLETE BACKGROUND_JOB", "api status",
                    "event plain CHANNEL_ANSWER DTMF", "event json CHANNEL_ANSWER DTMF",
                    "bgapi originate {origination_uuid=uuid-1}sofia/gateway/main/14155550100 &park()",
                    "sendmsg uuid-1", "exit");
            EslMessage sendmsg = commands.get(6);
            assertThat(sendmsg.headers()).containsEntry("call-command", "execute")
                    .containsEntry("execute-app-name", "playback")
                    .containsEntry("execute-app-arg", "/sounds/hello world.wav").containsKey("Event-UUID");

            // The events we wrote, as esl read them and as our parser reads them.
            List<JsonNode> events = lines.stream().filter(l -> l.has("event")).toList();
            assertThat(events).hasSize(4);
            for (int i = 0; i < 4; i++) {
                EslEvent ours = EslEvent.parse(new EslDecoder().feed(eventsSent.get(i).getBytes(StandardCharsets.UTF_8),
                        0, eventsSent.get(i).getBytes(StandardCharsets.UTF_8).length).get(0));
                JsonNode theirs = events.get(i);
                assertThat(theirs.get("event").asText()).isEqualTo(ours.name());
                Map<String, String> theirHeaders = new LinkedHashMap<>();
                theirs.get("body").fields().forEachRemaining(f -> theirHeaders.put(f.getKey(), f.getValue().asText()));
                if (i < 2) {
                    // esl keeps a plain event's values URL-encoded, as FreeSWITCH sent them: decoded here, by the JDK.
                    theirHeaders.replaceAll((name, value) -> URLDecoder.decode(value.replace("+", "%2B"),
                            StandardCharsets.UTF_8));
                    theirHeaders.remove("");
                }
                assertThat(theirHeaders).as("event %d", i).isEqualTo(ours.headers());
            }
            assertThat(events.get(0).get("body").get("Caller-Caller-ID-Name").asText())
                    .isEqualTo("Zo%C3%AB%20O%27Brien%3A%20100%25%20%2B%20more");

            JsonNode bgapi = lines.stream().filter(l -> "bgapi".equals(l.path("step").asText())).findFirst().orElseThrow();
            assertThat(bgapi.get("body").get("_body").asText()).isEqualTo("+OK uuid-1\n");
            JsonNode execute = lines.stream().filter(l -> "execute".equals(l.path("step").asText())).findFirst()
                    .orElseThrow();
            assertThat(execute.get("application").asText()).isEqualTo("playback");
            assertThat(execute.get("response").asText()).isEqualTo("FILE PLAYED");
            assertThat(lines.get(lines.size() - 1).get("step").asText()).isEqualTo("done");
        }
    }

    private static final String STATUS = "UP 0 years, 0 days, 1 hour, 2 minutes\n0 session(s) - peak 0\n";

    private void serve(ServerSocket server) {
        try (Socket client = server.accept()) {
            client.setSoTimeout(30_000);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            EslDecoder decoder = new EslDecoder();
            Deque<EslMessage> read = new ArrayDeque<>();
            write(out, EslStreams.authRequest());
            String auth = next(in, decoder, read).headers().keySet().iterator().next();
            write(out, EslStreams.reply(auth.equals("auth " + PASSWORD) ? "+OK accepted" : "-ERR invalid"));
            next(in, decoder, read);
            write(out, EslStreams.reply("+OK event listener enabled json"));
            next(in, decoder, read);
            write(out, EslStreams.api(STATUS));

            next(in, decoder, read);
            write(out, EslStreams.reply("+OK event listener enabled plain"));
            Map<String, String> answer = headers("Event-Name", "CHANNEL_ANSWER", "Core-UUID", "4c7d1c0b-f1d6",
                    "Event-Date-Local", "2026-12-06 10:00:00", "Unique-ID", "uuid-1",
                    "Caller-Caller-ID-Name", "Zoë O'Brien: 100% + more", "variable_irisx_call_id", "call_1");
            Map<String, String> dtmf = headers("Event-Name", "DTMF", "Unique-ID", "uuid-1", "DTMF-Digit", "#",
                    "DTMF-Duration", "2000", "DTMF-Source", "RTP");
            sendEvent(out, EslStreams.plain(answer, ""));
            sendEvent(out, EslStreams.plain(dtmf, ""));

            next(in, decoder, read);
            write(out, EslStreams.reply("+OK event listener enabled json"));
            sendEvent(out, EslStreams.json(answer, ""));
            sendEvent(out, EslStreams.json(dtmf, ""));

            next(in, decoder, read);
            write(out, EslStreams.bgapiReply("job-42"));
            write(out, EslStreams.json(headers("Event-Name", "BACKGROUND_JOB", "Job-UUID", "job-42",
                    "Job-Command", "originate"), "+OK uuid-1\n"));

            EslMessage sendmsg = next(in, decoder, read);
            write(out, EslStreams.reply("+OK"));
            write(out, EslStreams.json(headers("Event-Name", "CHANNEL_EXECUTE_COMPLETE", "Unique-ID", "uuid-1",
                    "Application", "playback", "Application-Data", "/sounds/hello world.wav",
                    "Application-Response", "FILE PLAYED",
                    "Application-UUID", sendmsg.headers().getOrDefault("Event-UUID", "")), ""));

            next(in, decoder, read);
            write(out, EslStreams.reply("+OK bye") + EslStreams.disconnect());
        } catch (IOException e) {
            throw new IllegalStateException("the peer's connection failed", e);
        }
    }

    private void sendEvent(OutputStream out, String frame) throws IOException {
        eventsSent.add(frame);
        write(out, frame);
    }

    private EslMessage next(InputStream in, EslDecoder decoder, Deque<EslMessage> read) throws IOException {
        byte[] chunk = new byte[4096];
        while (read.isEmpty()) {
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("esl closed the connection; commands so far: " + commands);
            }
            read.addAll(decoder.feed(chunk, 0, n));
        }
        EslMessage command = read.poll();
        commands.add(command);
        return command;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
