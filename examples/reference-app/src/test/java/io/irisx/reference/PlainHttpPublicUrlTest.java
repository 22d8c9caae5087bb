package io.irisx.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The app on a plain http public URL, as {@code scripts/quickstart app} runs it ({@code http://127.0.0.1:<port>}):
 * an SMS is sent without a status callback, since IRISX (as Twilio's Messages resource,
 * twilio.com/docs/messaging/api/message-resource, is used) takes only an https one, and a call is placed with the
 * app's http callbacks, which Twilio's Call resource (twilio.com/docs/voice/api/call-resource) takes.
 */
@SpringBootTest(classes = {ReferenceApp.class, RouteRecorder.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tests.public-url=" + PlainHttpPublicUrlTest.HTTP_URL)
@DirtiesContext
class PlainHttpPublicUrlTest extends RunningApp {

    static final String HTTP_URL = "http://127.0.0.1:18093";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    AppProperties app;

    @Test
    void an_sms_is_sent_without_a_status_callback_when_the_public_url_is_not_https() {
        assertThat(app.publicUrl()).isEqualTo(HTTP_URL);
        String key = key(newTenant("plain"), "sms:send", "sms:read");

        Answer sent = post("/v1/sms", key, Map.of("to", "+447400123490", "from", "+447400654321",
                "body", "Sent over a plain http app"));

        assertThat(sent.status()).as(sent.response().body()).isEqualTo(202);
        String id = sent.json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/sms/" + id, key).json().path("status").asText().equals("SENT"));
        LocalApis.Received request = APIS.received("/2010-04-01/Accounts/" + LocalApis.TWILIO_SID + "/Messages.json")
                .stream().filter(r -> "Sent over a plain http app".equals(r.form().get("Body"))).findFirst()
                .orElseThrow();
        assertThat(request.form()).containsEntry("To", "+447400123490").doesNotContainKey("StatusCallback");
    }

    @Test
    void a_call_is_placed_with_the_apps_http_callbacks() {
        String tenant = newTenant("plain");
        String key = key(tenant, "calls:write", "calls:read");

        Answer placed = post("/v1/calls", key, Map.of("to", "+447400123491", "from", "+442079460123",
                "url", "https://hooks.acme.example/twiml/plain"));

        assertThat(placed.status()).as(placed.response().body()).isEqualTo(202);
        String id = placed.json().path("id").asText();
        await().atMost(WAIT).until(() -> !get("/v1/calls/" + id, key).json().path("providerCallId").asText()
                .isEmpty());
        LocalApis.Received request = APIS.received("/2010-04-01/Accounts/" + LocalApis.TWILIO_SID + "/Calls.json")
                .stream().filter(r -> "+447400123491".equals(r.form().get("To"))).findFirst().orElseThrow();
        assertThat(request.form()).containsEntry("StatusCallback",
                HTTP_URL + "/callbacks/" + tenant + "/twilio/voice/status");
    }
}
