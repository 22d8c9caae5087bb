package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.testing.TwilioSignatures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SMS and call routes against the running app and a local Twilio ({@link LocalApis}: the Messages and Calls
 * resources, twilio.com/docs/messaging/api/message-resource and twilio.com/docs/voice/api/call-resource), and
 * Twilio's signed callbacks to the app (twilio.com/docs/usage/webhooks/webhooks-security), signed over the app's
 * public URL as Twilio signs them.
 */
class SmsAndCallRoutesTest extends RunningApp {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void an_sms_is_sent_through_twilio_and_its_status_callback_marks_it_delivered() {
        String tenant = newTenant("acme");
        String key = key(tenant, "sms:send", "sms:read");

        Answer sent = post("/v1/sms", key, Map.of("to", "07400 123456", "from", "+447400654321",
                "body", "Your code is 123456"));

        assertThat(sent.status()).as(sent.response().body()).isEqualTo(202);
        String id = sent.json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/sms/" + id, key).json().path("status").asText().equals("SENT"));
        JsonNode sms = get("/v1/sms/" + id, key).json();
        assertThat(sms.path("to").asText()).isEqualTo("+447400123456");
        assertThat(sms.path("segments").path("segments").asInt()).isEqualTo(1);
        String statusUrl = PUBLIC_URL + "/callbacks/" + tenant + "/twilio/sms/status";
        LocalApis.Received request = APIS.received("/2010-04-01/Accounts/" + LocalApis.TWILIO_SID + "/Messages.json")
                .stream().filter(r -> r.form().get("Body").equals("Your code is 123456")).findFirst().orElseThrow();
        assertThat(request.form()).containsEntry("To", "+447400123456").containsEntry("StatusCallback", statusUrl);

        Map<String, String> delivered = Map.of("MessageSid", sms.path("providerMessageId").asText(),
                "MessageStatus", "delivered", "AccountSid", LocalApis.TWILIO_SID);
        Answer forged = twilio(statusUrl, delivered, "c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ==");
        Answer signed = twilio(statusUrl, delivered, null);

        assertThat(forged.status()).isEqualTo(403);
        assertThat(signed.status()).isEqualTo(204);
        assertThat(get("/v1/sms/" + id, key).json().path("status").asText()).isEqualTo("DELIVERED");
        assertThat(get("/v1/sms/" + id + "/history", key).json()).extracting(h -> h.path("status").asText())
                .containsSubsequence("QUEUED", "SENT", "DELIVERED");
    }

    @Test
    void messages_are_listed_a_page_at_a_time_and_a_repeated_idempotency_key_sends_once() {
        String key = key(newTenant("acme"), "sms:send", "sms:read");
        Map<String, Object> message = Map.of("to", "+447400123457", "from", "+447400654321", "body", "Once only");
        String first = call("POST", "/v1/sms", key, message, Map.of("Idempotency-Key", "otp-88")).json().path("id")
                .asText();
        String again = call("POST", "/v1/sms", key, message, Map.of("Idempotency-Key", "otp-88")).json().path("id")
                .asText();
        post("/v1/sms", key, Map.of("to", "+447400123458", "from", "+447400654321", "body", "Second"));

        Answer page = get("/v1/sms?limit=1", key);
        Answer next = get("/v1/sms?limit=1&cursor=" + page.json().path("nextCursor").asText(), key);

        assertThat(again).isEqualTo(first);
        assertThat(page.json().path("items")).hasSize(1);
        assertThat(next.json().path("items")).hasSize(1);
        assertThat(next.json().has("nextCursor")).isFalse();
        Answer landline = post("/v1/sms", key, Map.of("to", "+442079460123", "from", "+447400654321", "body", "x"));
        assertProblem(landline, 400, "validation");
        assertThat(landline.json().path("field").asText()).isEqualTo("to");
    }

    @Test
    void messages_are_listed_by_status_recipient_sender_and_creation_time_and_a_bad_filter_is_named() {
        String tenant = newTenant("acme");
        String key = key(tenant, "sms:send", "sms:read");
        Instant before = Instant.now().minusSeconds(1);
        Answer sentFirst = post("/v1/sms", key, Map.of("to", "07400 123471", "from", "+447400654321", "body", "One"));
        Answer sentSecond = post("/v1/sms", key, Map.of("to", "+447400123472", "from", "+447400654399",
                "body", "Two"));
        assertThat(List.of(sentFirst.status(), sentSecond.status())).containsOnly(202);
        String first = sentFirst.json().path("id").asText();
        String second = sentSecond.json().path("id").asText();
        await().atMost(WAIT).until(() -> Stream.of(first, second).allMatch(id -> get("/v1/sms/" + id, key).json()
                .path("status").asText().equals("SENT")));
        Instant after = Instant.now().plusSeconds(1);
        Map<String, String> delivered = Map.of("MessageSid", get("/v1/sms/" + first, key).json()
                .path("providerMessageId").asText(), "MessageStatus", "delivered", "AccountSid", LocalApis.TWILIO_SID);
        assertThat(twilio(PUBLIC_URL + "/callbacks/" + tenant + "/twilio/sms/status", delivered, null).status())
                .isEqualTo(204);

        assertThat(ids("/v1/sms?status=delivered", key)).containsExactly(first);
        assertThat(ids("/v1/sms?status=SENT&status=delivered", key)).containsExactly(second, first);
        assertThat(ids("/v1/sms?status=failed", key)).isEmpty();
        assertThat(ids("/v1/sms?to=" + query("07400 123472"), key)).containsExactly(second);
        assertThat(ids("/v1/sms?from=" + query("+447400654321") + "&to=" + query("+447400123471"), key))
                .containsExactly(first);
        assertThat(ids("/v1/sms?from=" + query("+447400654321") + "&to=" + query("+447400123472"), key)).isEmpty();
        assertThat(ids("/v1/sms?createdFrom=" + before + "&createdTo=" + after, key)).containsExactly(second, first);
        assertThat(ids("/v1/sms?createdTo=" + before, key)).isEmpty();
        assertThat(ids("/v1/sms?createdFrom=" + after, key)).isEmpty();
        assertThat(ids("/v1/sms?status=sent&limit=1&cursor=" + first, key)).isEmpty();

        assertRejected(get("/v1/sms?status=lost", key), "status", "lost");
        assertRejected(get("/v1/sms?to=12345", key), "to", "12345");
        assertRejected(get("/v1/sms?from=" + query("+44 1"), key), "from", "+44 1");
        assertRejected(get("/v1/sms?createdFrom=yesterday", key), "createdFrom", "yesterday");
        assertRejected(get("/v1/sms?createdFrom=" + after + "&createdTo=" + before, key), "createdTo",
                before.toString());
    }

    @Test
    void calls_are_listed_by_status_numbers_and_creation_time_and_a_bad_filter_is_named() {
        String tenant = newTenant("acme");
        String key = key(tenant, "calls:write", "calls:read");
        Instant before = Instant.now().minusSeconds(1);
        Answer placedFirst = post("/v1/calls", key, Map.of("to", "+447400123481", "from", "+442079460123",
                "url", "https://hooks.acme.example/twiml/listed"));
        Answer placedSecond = post("/v1/calls", key, Map.of("to", "+447400123482", "from", "+442079460124",
                "url", "https://hooks.acme.example/twiml/listed"));
        assertThat(List.of(placedFirst.status(), placedSecond.status())).containsOnly(202);
        String first = placedFirst.json().path("id").asText();
        String second = placedSecond.json().path("id").asText();
        await().atMost(WAIT).until(() -> Stream.of(first, second).noneMatch(id -> get("/v1/calls/" + id, key).json()
                .path("providerCallId").asText().isEmpty()));
        Instant after = Instant.now().plusSeconds(1);
        Map<String, String> completed = Map.of("CallSid", get("/v1/calls/" + first, key).json()
                .path("providerCallId").asText(), "CallStatus", "completed", "CallDuration", "3",
                "AccountSid", LocalApis.TWILIO_SID);
        assertThat(twilio(PUBLIC_URL + "/callbacks/" + tenant + "/twilio/voice/status", completed, null).status())
                .isEqualTo(204);
        String secondStatus = get("/v1/calls/" + second, key).json().path("status").asText();

        assertThat(ids("/v1/calls?status=completed", key)).containsExactly(first);
        assertThat(ids("/v1/calls?status=" + secondStatus.toLowerCase(Locale.ROOT), key)).containsExactly(second);
        assertThat(ids("/v1/calls?status=completed&status=" + secondStatus, key)).containsExactly(second, first);
        assertThat(ids("/v1/calls?status=busy&status=no-answer", key)).isEmpty();
        assertThat(ids("/v1/calls?to=" + query("+44 7400 123482"), key)).containsExactly(second);
        assertThat(ids("/v1/calls?from=" + query("+44 20 7946 0123"), key)).containsExactly(first);
        assertThat(ids("/v1/calls?from=" + query("+442079460123") + "&to=" + query("+447400123482"), key)).isEmpty();
        assertThat(ids("/v1/calls?createdFrom=" + before + "&createdTo=" + after, key)).containsExactly(second, first);
        assertThat(ids("/v1/calls?createdTo=" + before, key)).isEmpty();

        assertRejected(get("/v1/calls?status=answered", key), "status", "answered");
        assertRejected(get("/v1/calls?to=" + query("not a number"), key), "to", "not a number");
        assertRejected(get("/v1/calls?createdTo=2030-13-01", key), "createdTo", "2030-13-01");
    }

    @Test
    void an_inbound_stop_opts_the_sender_out_and_the_opt_out_routes_manage_the_list() {
        String tenant = newTenant("acme");
        String key = key(tenant, "sms:send", "sms:read");
        String inboundUrl = PUBLIC_URL + "/callbacks/" + tenant + "/twilio/sms/inbound";

        Answer stop = twilio(inboundUrl, Map.of("MessageSid", "SM" + "ab".repeat(16), "AccountSid",
                LocalApis.TWILIO_SID, "From", "+447400111222", "To", "+447400654321", "Body", " stop ", "NumMedia", "0"),
                null);

        assertThat(stop.status()).isEqualTo(200);
        assertThat(get("/v1/sms/inbound", key).json().path("items").get(0).path("body").asText()).isEqualTo(" stop ");
        assertThat(get("/v1/sms/opt-outs/+447400111222", key).json().path("optedOut").asBoolean()).isTrue();
        assertProblem(post("/v1/sms", key, Map.of("to", "+447400111222", "from", "+447400654321", "body", "x")), 422,
                "suppressed-recipient");
        assertThat(call("DELETE", "/v1/sms/opt-outs/+447400111222", key, null, Map.of()).json().path("optedOut")
                .asBoolean()).isFalse();
        assertThat(post("/v1/sms", key, Map.of("to", "+447400111222", "from", "+447400654321", "body", "x")).status())
                .isEqualTo(202);
        assertThat(post("/v1/sms/opt-outs", key, Map.of("number", "+447400333444")).json().path("optedOut")
                .asBoolean()).isTrue();
        assertThat(get("/v1/sms/opt-outs/+447400333444", key).json().path("optedOut").asBoolean()).isTrue();
        assertProblem(post("/v1/sms/opt-outs", key, Map.of("number", "not a number")), 400, "validation");
        String stranger = PUBLIC_URL + "/callbacks/nobody-registered/twilio/sms/inbound";
        assertProblem(twilio(stranger, Map.of("MessageSid", "SM" + "ef".repeat(16), "From", "+447400111222",
                "To", "+447400654321", "Body", "hi", "NumMedia", "0"), null), 404, "not-found");
    }

    @Test
    void a_call_is_placed_through_twilio_hung_up_and_completed_by_its_status_callback() {
        String tenant = newTenant("acme");
        String key = key(tenant, "calls:write", "calls:read");
        Map<String, Object> request = Map.of("to", "+447400123456", "from", "+442079460123",
                "url", "https://hooks.acme.example/twiml", "record", "dual", "ringTimeoutSeconds", 20);

        Answer placed = call("POST", "/v1/calls", key, request, Map.of("Idempotency-Key", "callback-8812"));
        Answer repeated = call("POST", "/v1/calls", key, request, Map.of("Idempotency-Key", "callback-8812"));

        assertThat(placed.status()).as(placed.response().body()).isEqualTo(202);
        String id = placed.json().path("id").asText();
        assertThat(id).startsWith("call_");
        assertThat(repeated.json().path("id").asText()).isEqualTo(id);
        await().atMost(WAIT).until(() -> !get("/v1/calls/" + id, key).json().path("providerCallId").asText().isEmpty());
        String sid = get("/v1/calls/" + id, key).json().path("providerCallId").asText();
        LocalApis.Received created = APIS.received("/2010-04-01/Accounts/" + LocalApis.TWILIO_SID + "/Calls.json")
                .stream().filter(r -> "https://hooks.acme.example/twiml".equals(r.form().get("Url"))).findFirst()
                .orElseThrow();
        assertThat(created.form()).containsEntry("To", "+447400123456").containsEntry("Timeout", "20")
                .containsEntry("RecordingStatusCallback", PUBLIC_URL + "/callbacks/" + tenant + "/twilio/voice/recording")
                .containsEntry("StatusCallback", PUBLIC_URL + "/callbacks/" + tenant + "/twilio/voice/status");
        assertThat(get("/v1/calls", key).json().path("items")).extracting(c -> c.path("id").asText()).containsExactly(id);

        Answer hungUp = post("/v1/calls/" + id + "/hangup", key, null);
        assertThat(hungUp.status()).as(hungUp.response().body()).isEqualTo(200);
        assertThat(APIS.received("/2010-04-01/Accounts/" + LocalApis.TWILIO_SID + "/Calls/" + sid + ".json"))
                .anySatisfy(r -> assertThat(r.form()).containsEntry("Status", "completed"));

        String statusUrl = PUBLIC_URL + "/callbacks/" + tenant + "/twilio/voice/status";
        Map<String, String> completed = new LinkedHashMap<>(Map.of("CallSid", sid, "CallStatus", "completed",
                "CallDuration", "12", "AccountSid", LocalApis.TWILIO_SID));
        assertThat(twilio(statusUrl, completed, null).status()).isEqualTo(204);
        assertThat(get("/v1/calls/" + id, key).json().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(get("/v1/calls/" + id + "/history", key).json()).extracting(h -> h.path("status").asText())
                .contains("QUEUED", "COMPLETED");
        String recordingUrl = PUBLIC_URL + "/callbacks/" + tenant + "/twilio/voice/recording";
        Map<String, String> recorded = Map.of("AccountSid", LocalApis.TWILIO_SID, "CallSid", sid,
                "RecordingSid", "RE" + "cd".repeat(16), "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/"
                        + LocalApis.TWILIO_SID + "/Recordings/RE" + "cd".repeat(16), "RecordingStatus", "completed",
                "RecordingDuration", "11", "RecordingChannels", "2");
        assertThat(twilio(recordingUrl, recorded, null).status()).isBetween(200, 204);
        JsonNode recordings = get("/v1/calls/" + id + "/recordings", key).json();
        assertThat(recordings).hasSize(1);
        assertThat(recordings.get(0).path("channels").asInt()).isEqualTo(2);
        assertThat(call("DELETE", "/v1/calls/recordings/" + recordings.get(0).path("id").asText(), key, null, Map.of())
                .status()).isEqualTo(204);
        assertThat(get("/v1/calls/" + id + "/recordings", key).json()).isEmpty();
        assertProblem(post("/v1/calls/" + id + "/redirect", key, Map.of("flow", "support")), 409, "conflict");
        assertProblem(post("/v1/calls/" + id + "/redirect", key, Map.of("flow", "sales")), 400, "validation");
        assertProblem(call("DELETE", "/v1/calls/recordings/rec_" + "0".repeat(26), key, null, Map.of()), 404, null);
        assertProblem(post("/v1/calls", key, Map.of("to", "+447400123456")), 400, "validation");
    }

    @Test
    void a_call_running_the_apps_flow_gets_its_twiml_step_by_step_from_the_flow_callback() {
        String tenant = newTenant("acme");
        String key = key(tenant, "calls:write", "calls:read");
        String id = post("/v1/calls", key, Map.of("to", "+447400123459", "from", "+442079460123", "flow", "support"))
                .json().path("id").asText();
        await().atMost(WAIT).until(() -> !get("/v1/calls/" + id, key).json().path("providerCallId").asText().isEmpty());
        String sid = get("/v1/calls/" + id, key).json().path("providerCallId").asText();
        String flowUrl = APIS.received("/2010-04-01/Accounts/" + LocalApis.TWILIO_SID + "/Calls.json").stream()
                .filter(r -> "+447400123459".equals(r.form().get("To"))).findFirst().orElseThrow().form().get("Url");
        assertThat(flowUrl).isEqualTo(PUBLIC_URL + "/callbacks/" + tenant + "/twilio/voice/flow?flow=support");
        Map<String, String> answered = Map.of("AccountSid", LocalApis.TWILIO_SID, "CallSid", sid,
                "CallStatus", "in-progress");

        Answer first = twilio(flowUrl, answered, null);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/xml");
        assertThat(first.response().body()).contains("Thanks for calling Acme.", "<Gather", "opening hours");
        Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(first.response().body());
        assertThat(action.find()).isTrue();
        String gatherUrl = action.group(1).replace("&amp;", "&");
        Map<String, String> pressed = new LinkedHashMap<>(answered);
        pressed.put("Digits", "1");
        assertThat(twilio(gatherUrl, pressed, null).response().body()).contains("nine to five", "Goodbye.");
        assertThat(twilio(flowUrl, answered, "bm90IHR3aWxpbydzIHNpZ25hdHVyZQ==").status()).isEqualTo(403);

        // The live call sent back to the start of its flow: Twilio's Call update with the flow's URL as Url.
        Answer redirected = post("/v1/calls/" + id + "/redirect", key, Map.of("flow", "support"));
        assertThat(redirected.status()).as(redirected.response().body()).isEqualTo(200);
        assertThat(redirected.json().path("id").asText()).isEqualTo(id);
        assertThat(redirected.json().path("flow").asText()).isEqualTo("support");
        assertThat(APIS.received("/2010-04-01/Accounts/" + LocalApis.TWILIO_SID + "/Calls/" + sid + ".json"))
                .anySatisfy(r -> assertThat(r.form()).containsEntry("Url", flowUrl));
    }

    /** The ids of the items of the page {@code path} answers, which must be a 200. */
    private List<String> ids(String path, String key) {
        Answer page = get(path, key);
        assertThat(page.status()).as(path + ": " + page.response().body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.json().path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    /** A 400 validation problem naming {@code field} and its {@code value}. */
    static void assertRejected(Answer answer, String field, String value) {
        assertProblem(answer, 400, "validation");
        assertThat(answer.json().path("field").asText()).isEqualTo(field);
        assertThat(answer.json().path("rejectedValue").asText()).isEqualTo(value);
        assertThat(answer.json().path("detail").asText()).contains(field);
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A form POST to the app as Twilio makes it to {@code url}: signed, or with {@code signature} when given. */
    private Answer twilio(String url, Map<String, String> params, String signature) {
        TwilioSignatures.SignedForm form = signature == null ? TwilioSignatures.signed(LocalApis.TWILIO_TOKEN, url, params)
                : TwilioSignatures.signed(params, signature);
        String path = url.substring(PUBLIC_URL.length());
        return call("POST", path, null, form.body(), Map.of("X-Twilio-Signature",
                form.headers().get("X-Twilio-Signature").get(0)));
    }
}
