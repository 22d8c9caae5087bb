package io.irisx.voice.freeswitch.internal;

import static io.irisx.voice.freeswitch.internal.EslStreams.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link EslDecoder}, {@link EslEvent} and {@link EslCommands} on streams written as FreeSWITCH's Event Socket writes
 * them (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Client-and-Developer-Interfaces/Event-Socket-Library/,
 * "Event Socket" and mod_event_socket): {@code Content-Type}, {@code Content-Length} bodies, URL-encoded plain event
 * headers, an event's own body, JSON events.
 */
class EslCodecTest {

    static final String JOB = "7f4db78a-17d7-11dd-b7a0-db4edd065621";
    static final String CALL = "b1a0f3e2-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

    /** A session's worth of messages: authentication, a command, an api answer, events of every kind, a log line. */
    static String session() {
        return EslStreams.authRequest()
                + EslStreams.reply("+OK accepted")
                + EslStreams.reply("+OK event listener enabled plain")
                + EslStreams.api("UP 0 years, 0 days, 1 hour\n0 session(s) since startup\n")
                + EslStreams.bgapiReply(JOB)
                + EslStreams.plain(headers("Event-Name", "BACKGROUND_JOB", "Core-UUID", "4c7d1c0b",
                        "Job-UUID", JOB, "Job-Command", "originate", "Job-Command-Arg",
                        "{origination_uuid=" + CALL + "}sofia/gateway/main/14155550100 &park()"), "+OK " + CALL + "\n")
                + EslStreams.plain(headers("Event-Name", "CHANNEL_ANSWER", "Unique-ID", CALL,
                        "Caller-Caller-ID-Name", "Zoë O'Brien: 100% + more", "variable_irisx_call_id", "call_1"), "")
                + EslStreams.log("2026-12-06 10:00:00 [DEBUG] switch_core_state_machine.c:440 (sofia/x) Running\n")
                + EslStreams.json(headers("Event-Name", "DTMF", "Unique-ID", CALL, "DTMF-Digit", "1",
                        "DTMF-Duration", "2000"), "")
                + EslStreams.json(headers("Event-Name", "BACKGROUND_JOB", "Job-UUID", JOB), "-ERR USER_BUSY\n")
                + EslStreams.disconnect();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<EslMessage> decodeIn(byte[] stream, int... cuts) {
        EslDecoder decoder = new EslDecoder();
        List<EslMessage> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.addAll(decoder.feed(stream, from, cut - from));
            from = cut;
        }
        out.addAll(decoder.feed(stream, from, stream.length - from));
        assertThat(decoder.hasPartial()).isFalse();
        return out;
    }

    @Test
    void coalesced_frames_in_one_chunk_come_out_as_each_message_in_order() {
        List<EslMessage> messages = decodeIn(bytes(session()));

        assertThat(messages).extracting(EslMessage::contentType).containsExactly("auth/request", "command/reply",
                "command/reply", "api/response", "command/reply", "text/event-plain", "text/event-plain", "log/data",
                "text/event-json", "text/event-json", "text/disconnect-notice");
        assertThat(messages.get(1).replyText()).isEqualTo("+OK accepted");
        assertThat(messages.get(1).isOk()).isTrue();
        assertThat(messages.get(3).body()).isEqualTo("UP 0 years, 0 days, 1 hour\n0 session(s) since startup\n");
        assertThat(messages.get(4).header("Job-UUID")).contains(JOB);
        assertThat(messages.get(7).body()).endsWith("Running\n");
        assertThat(messages.get(10).body()).startsWith("Disconnected, goodbye.");
    }

    @Test
    void every_split_of_the_stream_into_two_chunks_gives_the_same_messages() {
        byte[] stream = bytes(session());
        List<EslMessage> whole = decodeIn(stream);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(decodeIn(stream, cut)).as("cut at byte %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void every_split_into_three_chunks_and_byte_by_byte_feeding_give_the_same_messages() {
        byte[] stream = bytes(session());
        List<EslMessage> whole = decodeIn(stream);
        for (int first = 0; first <= stream.length; first += 7) {
            for (int second = first; second <= stream.length; second += 13) {
                assertThat(decodeIn(stream, first, second)).as("cuts at %d and %d", first, second).isEqualTo(whole);
            }
        }
        int[] everyByte = new int[stream.length];
        for (int i = 0; i < stream.length; i++) {
            everyByte[i] = i;
        }
        assertThat(decodeIn(stream, everyByte)).isEqualTo(whole);
    }

    @Test
    void a_body_split_inside_a_multibyte_character_is_counted_in_bytes_and_read_whole() {
        String body = "Zoë says ☎\n";
        byte[] stream = bytes(EslStreams.api(body) + EslStreams.reply("+OK"));
        for (int cut = 0; cut <= stream.length; cut++) {
            List<EslMessage> messages = decodeIn(stream, cut);
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).body()).isEqualTo(body);
        }
    }

    @Test
    void a_plain_event_has_its_headers_url_decoded_and_its_own_body_cut_by_its_content_length() {
        List<EslMessage> messages = decodeIn(bytes(session()));

        EslEvent job = EslEvent.parse(messages.get(5));
        assertThat(job.name()).isEqualTo("BACKGROUND_JOB");
        assertThat(job.header("Job-UUID")).contains(JOB);
        assertThat(job.header("Job-Command-Arg"))
                .contains("{origination_uuid=" + CALL + "}sofia/gateway/main/14155550100 &park()");
        assertThat(job.body()).isEqualTo("+OK " + CALL + "\n");

        EslEvent answer = EslEvent.parse(messages.get(6));
        assertThat(answer.name()).isEqualTo("CHANNEL_ANSWER");
        assertThat(answer.uniqueId()).contains(CALL);
        assertThat(answer.header("Caller-Caller-ID-Name")).contains("Zoë O'Brien: 100% + more");
        assertThat(answer.variable("irisx_call_id")).contains("call_1");
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void a_json_event_has_its_fields_as_headers_and_its_own_body_from_underscore_body() {
        List<EslMessage> messages = decodeIn(bytes(session()));

        EslEvent dtmf = EslEvent.parse(messages.get(8));
        assertThat(dtmf.name()).isEqualTo("DTMF");
        assertThat(dtmf.header("DTMF-Digit")).contains("1");
        EslEvent job = EslEvent.parse(messages.get(9));
        assertThat(job.body()).isEqualTo("-ERR USER_BUSY\n");
        assertThat(job.headers()).doesNotContainKey("_body");
    }

    @Test
    void a_refused_command_and_a_failed_api_call_are_not_ok() {
        List<EslMessage> messages = decodeIn(bytes(EslStreams.reply("-ERR invalid") + EslStreams.api("-ERR no reply\n")
                + EslStreams.api("-USAGE: <uuid>\n") + EslStreams.api("+OK\n")));

        assertThat(messages).extracting(EslMessage::isOk).containsExactly(false, false, false, true);
    }

    @Test
    void a_header_line_without_a_colon_is_refused_naming_the_line() {
        EslDecoder decoder = new EslDecoder();
        byte[] stream = bytes("Content-Type: command/reply\nReply-Text +OK\n\n");

        assertThatThrownBy(() -> decoder.feed(stream, 0, stream.length)).isInstanceOf(EslProtocolException.class)
                .hasMessageContaining("'Name: value'").hasMessageContaining("Reply-Text +OK");
    }

    @Test
    void a_content_length_that_is_not_a_number_or_too_large_is_refused_naming_the_value() {
        byte[] letters = bytes("Content-Type: api/response\nContent-Length: 12a\n\n");
        byte[] huge = bytes("Content-Type: api/response\nContent-Length: 999999999\n\n");

        assertThatThrownBy(() -> new EslDecoder().feed(letters, 0, letters.length))
                .isInstanceOf(EslProtocolException.class).hasMessageContaining("Content-Length").hasMessageContaining("'12a'");
        assertThatThrownBy(() -> new EslDecoder().feed(huge, 0, huge.length))
                .isInstanceOf(EslProtocolException.class).hasMessageContaining("999999999");
    }

    @Test
    void a_header_block_that_never_ends_is_refused_once_it_passes_the_limit() {
        EslDecoder decoder = new EslDecoder();
        byte[] line = bytes("X-Filler: " + "a".repeat(1000) + "\n");
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                decoder.feed(line, 0, line.length);
            }
        }).isInstanceOf(EslProtocolException.class).hasMessageContaining("without a blank line")
                .hasMessageContaining("X-Filler");
    }

    @Test
    void malformed_events_are_refused_naming_what_is_wrong() {
        EslMessage badPercent = new EslMessage(Map.of("Content-Type", "text/event-plain"),
                "Event-Name: DTMF\nDTMF-Digit: %G1\n\n");
        EslMessage notJson = new EslMessage(Map.of("Content-Type", "text/event-json"), "{\"Event-Name\": ");
        EslMessage array = new EslMessage(Map.of("Content-Type", "text/event-json"), "[1]");
        EslMessage nameless = new EslMessage(Map.of("Content-Type", "text/event-plain"), "Unique-ID: x\n\n");
        EslMessage shortBody = new EslMessage(Map.of("Content-Type", "text/event-plain"),
                "Event-Name: BACKGROUND_JOB\nContent-Length: 40\n\n+OK\n");
        EslMessage reply = new EslMessage(Map.of("Content-Type", "command/reply"), "");

        assertThatThrownBy(() -> EslEvent.parse(badPercent)).isInstanceOf(EslProtocolException.class)
                .hasMessageContaining("DTMF-Digit").hasMessageContaining("%G1");
        assertThatThrownBy(() -> EslEvent.parse(notJson)).isInstanceOf(EslProtocolException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> EslEvent.parse(array)).isInstanceOf(EslProtocolException.class)
                .hasMessageContaining("JSON object").hasMessageContaining("[1]");
        assertThatThrownBy(() -> EslEvent.parse(nameless)).isInstanceOf(EslProtocolException.class)
                .hasMessageContaining("Event-Name");
        assertThatThrownBy(() -> EslEvent.parse(shortBody)).isInstanceOf(EslProtocolException.class)
                .hasMessageContaining("Content-Length is 40");
        assertThatThrownBy(() -> EslEvent.parse(reply)).isInstanceOf(EslProtocolException.class)
                .hasMessageContaining("command/reply");
    }

    @Test
    void commands_are_a_line_then_headers_then_a_blank_line_and_a_line_break_in_a_value_is_refused() {
        byte[] sendmsg = EslCommands.frame("sendmsg " + CALL, headers("call-command", "execute",
                "execute-app-name", "playback", "execute-app-arg", "/tmp/hello.wav", "event-lock", "true"));

        assertThat(new String(sendmsg, StandardCharsets.UTF_8)).isEqualTo("sendmsg " + CALL + "\ncall-command: execute\n"
                + "execute-app-name: playback\nexecute-app-arg: /tmp/hello.wav\nevent-lock: true\n\n");
        assertThat(new String(EslCommands.frame("api status"), StandardCharsets.UTF_8)).isEqualTo("api status\n\n");
        List<EslMessage> parsed = new EslDecoder().feed(sendmsg, 0, sendmsg.length);
        assertThat(parsed.get(0).headers()).containsEntry("execute-app-name", "playback")
                .containsKey("sendmsg " + CALL);
        assertThatThrownBy(() -> EslCommands.frame("api status\n\nauth x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> EslCommands.frame("sendmsg x", headers("execute-app-arg", "a\nb")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("execute-app-arg");
    }
}
