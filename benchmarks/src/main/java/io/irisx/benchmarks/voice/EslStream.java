package io.irisx.benchmarks.voice;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream of Event Socket bytes as FreeSWITCH writes them to a client subscribed to {@code event plain} for calls:
 * for each call, {@code CHANNEL_CREATE}, {@code CHANNEL_PROGRESS}, {@code CHANNEL_ANSWER}, six
 * {@code CHANNEL_EXECUTE_COMPLETE}, a {@code DTMF}, a {@code RECORD_STOP}, {@code CHANNEL_HANGUP_COMPLETE} and the
 * originate's {@code BACKGROUND_JOB} (with its own body), each with the core, caller and channel-variable headers a
 * FreeSWITCH 1.10 channel event carries, values URL-encoded; deterministic.
 */
public final class EslStream {

    /** Events per call. */
    public static final int EVENTS_PER_CALL = 13;

    private EslStream() {
    }

    /** The bytes of {@code calls} calls' events. */
    public static byte[] of(int calls) {
        StringBuilder out = new StringBuilder();
        String[] apps = {"set", "speak", "set", "play_and_get_digits", "record", "speak"};
        for (int c = 0; c < calls; c++) {
            String uuid = String.format("5d6f1c1e-%04x-4a5b-9c8d-%012x", c & 0xffff, c * 7919L);
            out.append(event("CHANNEL_CREATE", uuid, c, Map.of("Channel-State", "CS_INIT")));
            out.append(event("CHANNEL_PROGRESS", uuid, c, Map.of("Channel-State", "CS_ROUTING")));
            out.append(event("CHANNEL_ANSWER", uuid, c, Map.of("Answer-State", "answered")));
            for (int a = 0; a < apps.length; a++) {
                out.append(event("CHANNEL_EXECUTE_COMPLETE", uuid, c, Map.of("Application", apps[a],
                        "Application-Data", "flite|kal|Press 1 to leave a message, 2 for sales.",
                        "Application-Response", "_none_", "Application-UUID", uuid.substring(0, 24) + a)));
            }
            out.append(event("DTMF", uuid, c, Map.of("DTMF-Digit", "1", "DTMF-Duration", "2000")));
            out.append(event("RECORD_STOP", uuid, c, Map.of("Record-File-Path",
                    "/var/lib/freeswitch/recordings/" + uuid + "-1.wav", "variable_record_seconds", "7")));
            out.append(event("CHANNEL_HANGUP_COMPLETE", uuid, c, Map.of("Hangup-Cause", "NORMAL_CLEARING",
                    "variable_billsec", "42", "variable_hangup_cause_q850", "16")));
            String body = "+OK " + uuid + "\n";
            String inner = "Event-Name: BACKGROUND_JOB\nCore-UUID: 4c7d1c0b-f1d6-4e0b-9d5a-2c1f1a3b9e77\n"
                    + "Job-UUID: " + uuid + "\nJob-Command: originate\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\n\n" + body;
            out.append("Content-Length: ").append(inner.getBytes(StandardCharsets.UTF_8).length)
                    .append("\nContent-Type: text/event-plain\n\n").append(inner);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String event(String name, String uuid, int call, Map<String, String> own) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Event-Name", name);
        h.put("Core-UUID", "4c7d1c0b-f1d6-4e0b-9d5a-2c1f1a3b9e77");
        h.put("FreeSWITCH-Hostname", "fs1.acme.example");
        h.put("FreeSWITCH-Switchname", "fs1");
        h.put("FreeSWITCH-IPv4", "10.0.0.5");
        h.put("Event-Date-Local", "2026-12-06 10:00:" + String.format("%02d", call % 60));
        h.put("Event-Date-GMT", "Sun, 06 Dec 2026 10:00:00 GMT");
        h.put("Event-Date-Timestamp", String.valueOf(1796551200000000L + call));
        h.put("Event-Calling-File", "switch_channel.c");
        h.put("Event-Calling-Function", "switch_channel_perform_answer");
        h.put("Event-Calling-Line-Number", "3993");
        h.put("Event-Sequence", String.valueOf(1000 + call));
        h.put("Channel-State", "CS_EXECUTE");
        h.put("Channel-Call-State", "ACTIVE");
        h.put("Channel-State-Number", "4");
        h.put("Channel-Name", "sofia/gateway/main/+447400123456");
        h.put("Unique-ID", uuid);
        h.put("Call-Direction", "outbound");
        h.put("Presence-Call-Direction", "outbound");
        h.put("Channel-HIT-Dialplan", "false");
        h.put("Answer-State", "ringing");
        h.put("Caller-Direction", "outbound");
        h.put("Caller-Username", "");
        h.put("Caller-Dialplan", "XML");
        h.put("Caller-Caller-ID-Name", "Acme Support: 24/7 & more");
        h.put("Caller-Caller-ID-Number", "+447400654321");
        h.put("Caller-Destination-Number", "+447400123456");
        h.put("Caller-Unique-ID", uuid);
        h.put("Caller-Source", "src/switch_ivr_originate.c");
        h.put("Caller-Context", "default");
        h.put("Caller-Channel-Name", "sofia/gateway/main/+447400123456");
        h.put("Caller-Profile-Index", "1");
        h.put("Caller-Profile-Created-Time", "1796551200000000");
        h.put("Caller-Channel-Answered-Time", "1796551203000000");
        h.put("variable_direction", "outbound");
        h.put("variable_uuid", uuid);
        h.put("variable_session_id", String.valueOf(call + 1));
        h.put("variable_sip_from_user", "+447400654321");
        h.put("variable_sip_to_uri", "+447400123456@sip.carrier.example");
        h.put("variable_sip_call_id", "a84b4c76e66710@pc33.carrier.example");
        h.put("variable_irisx_call_id", "call_01jf8x9w3k7q2m4n5p6r7s8t" + (call % 10));
        h.put("variable_irisx_tenant", "acme");
        h.put("variable_irisx_flow", "support");
        h.put("variable_origination_caller_id_number", "+447400654321");
        h.put("variable_tts_engine", "flite");
        h.put("variable_tts_voice", "kal");
        h.put("variable_read_codec", "PCMU");
        h.put("variable_write_codec", "PCMU");
        h.put("variable_remote_media_ip", "203.0.113.7");
        h.put("variable_remote_media_port", "16384");
        h.put("variable_endpoint_disposition", "ANSWER");
        h.putAll(own);
        StringBuilder inner = new StringBuilder();
        h.forEach((header, value) -> inner.append(header).append(": ").append(encode(value)).append('\n'));
        inner.append('\n');
        return "Content-Length: " + inner.toString().getBytes(StandardCharsets.UTF_8).length
                + "\nContent-Type: text/event-plain\n\n" + inner;
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '_') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
