package io.irisx.voice.freeswitch.internal;

import static io.irisx.voice.freeswitch.internal.EslStreams.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EslConnection} against {@link LocalFreeSwitch}, a server speaking mod_event_socket's inbound protocol byte by
 * byte (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Client-and-Developer-Interfaces/Event-Socket-Library/):
 * authentication, subscription, {@code api}, {@code bgapi} with {@code Job-UUID}, {@code sendmsg} with
 * {@code call-command: execute}, answers written in fragments, a connection dropped mid-frame, and reconnection.
 */
class EslConnectionTest {

    private static final String PASSWORD = "S3cret-ClueCon";
    private final List<EslEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger reconnections = new AtomicInteger();
    private LocalFreeSwitch freeswitch;
    private EslConnection connection;

    private EslConnection connect(String password, String format) {
        connection = EslConnection.builder("127.0.0.1", freeswitch.port(), password)
                .events(format, List.of("CHANNEL_ANSWER", "BACKGROUND_JOB", "DTMF"))
                .listener(new EslConnection.Listener() {
                    @Override
                    public void event(EslEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void connected(boolean again) {
                        if (again) {
                            reconnections.incrementAndGet();
                        }
                    }
                })
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .replyTimeout(Duration.ofSeconds(5))
                .build().start();
        return connection;
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        freeswitch.close();
    }

    @Test
    void it_authenticates_subscribes_and_runs_api_commands_over_fragmented_answers() throws Exception {
        freeswitch = new LocalFreeSwitch(PASSWORD).fragments(1)
                .api(command -> command.equals("status") ? "UP 0 years, 0 days\n1 session(s)\n" : "-ERR nope\n");
        connect(PASSWORD, "plain");

        assertThat(connection.awaitUp(Duration.ofSeconds(5))).isTrue();
        assertThat(freeswitch.next("auth").line()).isEqualTo("auth " + PASSWORD);
        assertThat(freeswitch.next("event").line()).isEqualTo("event plain CHANNEL_ANSWER BACKGROUND_JOB DTMF");
        EslMessage status = connection.api("status");
        assertThat(status.contentType()).isEqualTo("api/response");
        assertThat(status.body()).isEqualTo("UP 0 years, 0 days\n1 session(s)\n");
        assertThat(status.isOk()).isTrue();
        assertThat(connection.api("bogus").isOk()).isFalse();
    }

    @Test
    void a_wrong_password_fails_clearly_without_showing_it_and_is_not_retried() throws Exception {
        freeswitch = new LocalFreeSwitch(PASSWORD);
        connect("wrong-password-42", "plain");

        assertThatThrownBy(() -> connection.awaitUp(Duration.ofSeconds(5))).isInstanceOf(EslException.class)
                .hasMessageContaining("refused the Event Socket password (not shown)")
                .hasMessageContaining("-ERR invalid")
                .hasMessageNotContaining("wrong-password-42");
        assertThatThrownBy(() -> connection.api("status")).isInstanceOf(EslException.class)
                .satisfies(e -> assertThat(((EslException) e).authentication()).isTrue());
        assertThat(freeswitch.connections.get()).isEqualTo(1);
    }

    @Test
    void bgapi_jobs_are_matched_to_their_background_job_events_by_job_uuid_in_any_order() throws Exception {
        freeswitch = new LocalFreeSwitch(PASSWORD).bgapi(command -> null);
        connect(PASSWORD, "json");
        connection.awaitUp(Duration.ofSeconds(5));

        CompletableFuture<EslEvent> first = connection.bgapi("originate sofia/gateway/main/1 &park()", "job-1");
        CompletableFuture<EslEvent> second = connection.bgapi("originate sofia/gateway/main/2 &park()", "job-2");
        LocalFreeSwitch.Command sent = freeswitch.next("bgapi");
        assertThat(sent.line()).isEqualTo("bgapi originate sofia/gateway/main/1 &park()");
        assertThat(sent.header("Job-UUID")).isEqualTo("job-1");
        freeswitch.event(headers("Event-Name", "BACKGROUND_JOB", "Job-UUID", "job-2"), "-ERR USER_BUSY\n");
        freeswitch.event(headers("Event-Name", "BACKGROUND_JOB", "Job-UUID", "job-1"), "+OK abc\n");

        assertThat(first.get(5, TimeUnit.SECONDS).body()).isEqualTo("+OK abc\n");
        assertThat(second.get(5, TimeUnit.SECONDS).body()).isEqualTo("-ERR USER_BUSY\n");
        assertThat(freeswitch.format()).isEqualTo("json");
    }

    @Test
    void sendmsg_executes_an_application_on_a_channel_with_event_lock() throws Exception {
        freeswitch = new LocalFreeSwitch(PASSWORD);
        connect(PASSWORD, "plain");
        connection.awaitUp(Duration.ofSeconds(5));

        EslMessage reply = connection.execute("uuid-1", "playback", "/sounds/hello.wav", "app-1");

        assertThat(reply.isOk()).isTrue();
        LocalFreeSwitch.Command sent = freeswitch.next("sendmsg");
        assertThat(sent.line()).isEqualTo("sendmsg uuid-1");
        assertThat(sent.headers()).containsExactlyEntriesOf(headers("call-command", "execute", "execute-app-name",
                "playback", "execute-app-arg", "/sounds/hello.wav", "event-lock", "true", "Event-UUID", "app-1"));
    }

    @Test
    void events_reach_the_listener_in_order_in_plain_and_in_json() throws Exception {
        for (String format : List.of("plain", "json")) {
            events.clear();
            freeswitch = new LocalFreeSwitch(PASSWORD).fragments(2);
            connect(PASSWORD, format);
            connection.awaitUp(Duration.ofSeconds(5));

            freeswitch.event(headers("Event-Name", "CHANNEL_ANSWER", "Unique-ID", "u1", "Caller-Caller-ID-Name",
                    "Zoë 50%"), "");
            freeswitch.event(headers("Event-Name", "DTMF", "Unique-ID", "u1", "DTMF-Digit", "#"), "");

            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
            assertThat(events).extracting(EslEvent::name).containsExactly("CHANNEL_ANSWER", "DTMF");
            assertThat(events.get(0).header("Caller-Caller-ID-Name")).as(format).contains("Zoë 50%");
            assertThat(events.get(1).header("DTMF-Digit")).contains("#");
            connection.close();
            freeswitch.close();
        }
    }

    @Test
    void a_connection_dropped_mid_frame_fails_the_waiting_command_then_reconnects_and_subscribes_again()
            throws Exception {
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        freeswitch = new LocalFreeSwitch(PASSWORD);
        freeswitch.api(command -> {
            if (command.equals("hang")) {
                // Half an event, then the socket is gone: the reply to "hang" never comes.
                freeswitch.raw("Content-Length: 200\nContent-Type: text/event-plain\n\nEvent-Name: DTM");
                dropped.complete(null);
                try {
                    freeswitch.drop();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                return "";
            }
            return "+OK\n";
        });
        connect(PASSWORD, "plain");
        connection.awaitUp(Duration.ofSeconds(5));
        freeswitch.next("event");

        assertThatThrownBy(() -> connection.api("hang")).isInstanceOf(EslException.class)
                .hasMessageContaining("lost before the reply")
                .satisfies(e -> assertThat(((EslException) e).sent()).isTrue());
        assertThat(freeswitch.next("event").line()).isEqualTo("event plain CHANNEL_ANSWER BACKGROUND_JOB DTMF");
        await().atMost(Duration.ofSeconds(5)).until(() -> connection.isUp() && reconnections.get() == 1);
        assertThat(connection.connections()).isEqualTo(2);
        assertThat(connection.api("status").body()).isEqualTo("+OK\n");
        freeswitch.event(headers("Event-Name", "DTMF", "Unique-ID", "u1", "DTMF-Digit", "5"), "");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
        assertThat(events.get(0).header("DTMF-Digit")).contains("5");
    }

    @Test
    void a_command_while_disconnected_fails_at_once_as_not_sent() throws Exception {
        freeswitch = new LocalFreeSwitch(PASSWORD);
        int port = freeswitch.port();
        freeswitch.close();
        connection = EslConnection.builder("127.0.0.1", port, PASSWORD)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).build().start();

        assertThat(connection.awaitUp(Duration.ofMillis(200))).isFalse();
        assertThatThrownBy(() -> connection.api("status")).isInstanceOf(EslException.class)
                .hasMessageContaining("not connected")
                .satisfies(e -> assertThat(((EslException) e).sent()).isFalse());
    }
}
