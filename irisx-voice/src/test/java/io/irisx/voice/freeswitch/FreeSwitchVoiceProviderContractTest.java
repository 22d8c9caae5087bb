package io.irisx.voice.freeswitch;

import static io.irisx.voice.freeswitch.internal.EslStreams.headers;
import static org.awaitility.Awaitility.await;

import io.irisx.voice.VoiceProviderContract;
import io.irisx.voice.freeswitch.internal.LocalFreeSwitch;
import io.irisx.voice.spi.VoiceProvider;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@link FreeSwitchVoiceProvider} passes the {@link VoiceProviderContract} against {@link LocalFreeSwitch}, a server
 * speaking mod_event_socket's inbound protocol byte by byte
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Modules/mod_event_socket_1048924/): {@code auth}
 * answered {@code -ERR invalid} and a disconnect notice for a wrong password; {@code bgapi originate} with its
 * {@code BACKGROUND_JOB}; {@code api uuid_kill}, {@code uuid_break} and {@code uuid_exists} answered
 * {@code -ERR No such channel!} (or {@code false}) for a channel it does not have, as FreeSWITCH's mod_commands does.
 */
class FreeSwitchVoiceProviderContractTest extends VoiceProviderContract {

    private static final String PASSWORD = "ClueCon-contract";

    private LocalFreeSwitch freeswitch;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();

    @Override
    protected VoiceProvider newProvider() throws Exception {
        freeswitch = new LocalFreeSwitch(PASSWORD).bgapi(command -> {
            String uuid = FreeSwitchVoiceProviderTest.uuidOf(command.line());
            channels.add(uuid);
            return "+OK " + uuid + "\n";
        }).api(this::api);
        return builder(PASSWORD).build();
    }

    private FreeSwitchVoiceProvider.Builder builder(String password) {
        return FreeSwitchVoiceProvider.builder("127.0.0.1", freeswitch.port(), password)
                .dialString("sofia/gateway/main/{number}").reconnectBackoff(Duration.ofMillis(20),
                        Duration.ofMillis(200)).replyTimeout(Duration.ofSeconds(2));
    }

    private String api(String command) {
        String[] words = command.split(" ");
        String uuid = words.length > 1 ? words[1] : "";
        return switch (words[0]) {
            case "uuid_exists" -> channels.contains(uuid) ? "true" : "false";
            case "uuid_kill" -> channels.remove(uuid) ? "+OK\n" : "-ERR No such channel!\n";
            case "uuid_break", "sched_hangup" -> channels.contains(uuid) || words[0].equals("sched_hangup") ? "+OK\n"
                    : "-ERR No such channel!\n";
            default -> "-ERR " + words[0] + " Command not found!\n";
        };
    }

    @Override
    protected Refusal permanentRefusal() {
        FreeSwitchVoiceProvider wrong = builder("not-the-password-7").build();
        wrong.start(voices());
        return new Refusal(wrong, call(), 401);
    }

    @Override
    protected Refusal retryableRefusal() throws Exception {
        FreeSwitchVoiceProvider provider = (FreeSwitchVoiceProvider) provider();
        await().atMost(Duration.ofSeconds(10)).until(provider::isConnected);
        freeswitch.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !provider.isConnected());
        return new Refusal(provider, call(), 503);
    }

    @Override
    protected long placings() {
        return freeswitch.received.stream().filter(c -> c.line().startsWith("bgapi originate ")).count();
    }

    @Override
    protected boolean askedToHangUp(String providerCallId) {
        return freeswitch.received.stream().anyMatch(c -> c.line().equals("api uuid_kill " + providerCallId));
    }

    @Override
    protected void answer(String providerCallId) {
        freeswitch.event(headers("Event-Name", "CHANNEL_ANSWER", "Unique-ID", providerCallId, "Answer-State",
                "answered"), "");
        // Answered once the provider starts the call's flow on its channel.
        await().atMost(Duration.ofSeconds(10)).until(() -> freeswitch.received.stream()
                .anyMatch(c -> c.line().equals("sendmsg " + providerCallId)));
    }

    @Override
    protected boolean askedToRedirect(String providerCallId, String flow) {
        String firstStep = (flow.equals("survey") ? SURVEY : SUPPORT).start().step().id();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> freeswitch.received.stream()
                    .anyMatch(c -> c.line().equals("api uuid_break " + providerCallId + " all"))
                    && freeswitch.received.stream().anyMatch(c -> c.line().equals("sendmsg " + providerCallId)
                            && ("irisx_step=" + firstStep).equals(c.header("execute-app-arg"))));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    protected String unknownCallId() {
        return UUID.randomUUID().toString();
    }

    @Override
    protected void closeServer() throws Exception {
        freeswitch.close();
    }
}
