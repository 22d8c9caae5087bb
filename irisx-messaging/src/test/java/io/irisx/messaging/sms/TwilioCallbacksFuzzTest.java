package io.irisx.messaging.sms;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.TenantId;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.sms.twilio.TwilioCallbacks;
import io.irisx.testing.TwilioSignatures;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Random requests to {@link TwilioCallbacks#status} and {@link TwilioCallbacks#inbound} — methods, headers and form
 * bodies, signed with the auth token for some and not for others — on an H2 store: each is answered with a 2xx or
 * 4xx {@link CallbackResponse}, never an exception, and a forged one changes nothing.
 */
class TwilioCallbacksFuzzTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String STATUS_URL = "https://hooks.acme.example/twilio/status?tenant=acme";
    private static final String INBOUND_URL = "https://hooks.acme.example/twilio/inbound";
    private static final String SID = "SM" + "0123456789abcdef".repeat(2);

    private MessagingFixture fixture;
    private TwilioCallbacks callbacks;

    @BeforeProperty
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        SmsClient acme = fixture.smsClient("acme");
        var id = acme.send(SmsMessage.builder().to("07400 123456").from("+447400654321").body("Hi").build());
        assertThat(fixture.smsStore.markSent(acme.get(id), "twilio", SID, "queued", 1, false, "accepted")).isTrue();
        callbacks = TwilioCallbacks.builder(fixture.irisx.tenant(TenantId.of("acme")), TOKEN).statusUrl(STATUS_URL)
                .inboundUrl(INBOUND_URL).helpText("Acme: reply STOP to opt out & <more>").build();
    }

    @AfterProperty
    void stop() {
        fixture.close();
    }

    @Property(tries = 1000)
    void a_status_callback_is_answered_2xx_or_4xx(@ForAll("statusRequests") CallbackRequest request) {
        answered(() -> callbacks.status(request));
    }

    @Property(tries = 1000)
    void an_incoming_message_is_answered_2xx_or_4xx(@ForAll("inboundRequests") CallbackRequest request) {
        answered(() -> callbacks.inbound(request));
    }

    private static void answered(java.util.function.Supplier<CallbackResponse> call) {
        CallbackResponse response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            throw new AssertionError("a callback threw " + e, e);
        }
        assertThat(response.status()).isBetween(200, 499);
        assertThat(response.status() / 100).isNotEqualTo(3);
        // Signed requests get past the signature check: some are applied, some refused for their content.
        Statistics.collect(response.status() == 403 ? "forged" : response.status() < 300 ? "applied" : "refused");
        Statistics.coverage(coverage -> {
            coverage.check("applied").percentage(p -> p >= 1);
            coverage.check("refused").percentage(p -> p >= 1);
        });
    }

    @Provide
    Arbitrary<CallbackRequest> statusRequests() {
        Arbitrary<Map<String, String>> params = Combinators.combine(
                FuzzText.around(Arbitraries.of(SID, "MM" + "0123456789abcdef".repeat(2), "SMx")),
                FuzzText.around(Arbitraries.of("sent", "delivered", "undelivered", "failed", "read", "canceled",
                        "DELIVERED", "queued", "bogus")),
                FuzzText.around(Arbitraries.of("", "30003", "e".repeat(16), "e".repeat(17))),
                extraParams())
                .as((sid, status, error, extra) -> {
                    Map<String, String> p = new LinkedHashMap<>(extra);
                    p.put("MessageSid", sid);
                    p.put("MessageStatus", status);
                    p.put("ErrorCode", error);
                    return p;
                });
        return requests(STATUS_URL, params);
    }

    @Provide
    Arbitrary<CallbackRequest> inboundRequests() {
        Arbitrary<Map<String, String>> params = Combinators.combine(
                FuzzText.around(Arbitraries.of("SM" + "fedcba9876543210".repeat(2), SID)),
                FuzzText.around(Arbitraries.of("+447400123456", "+14155550123", "07400 123456", "+4420")),
                FuzzText.around(Arbitraries.of("STOP", "help", "START!", "Hi there", "x".repeat(2000))),
                FuzzText.around(Arbitraries.of("0", "1", "2", "10", "11", "-1", "99999999999")),
                FuzzText.around(Arbitraries.of("https://api.twilio.com/media/1", "http://x.example/1", "https:opaque",
                        "https://[bad")),
                extraParams())
                .as((sid, from, body, numMedia, media, extra) -> {
                    Map<String, String> p = new LinkedHashMap<>(extra);
                    p.put("MessageSid", sid);
                    p.put("From", from);
                    p.put("To", "+447400654321");
                    p.put("Body", body);
                    p.put("NumMedia", numMedia);
                    p.put("MediaUrl0", media);
                    return p;
                });
        return requests(INBOUND_URL, params);
    }

    private static Arbitrary<Map<String, String>> extraParams() {
        return Arbitraries.maps(FuzzText.around(Arbitraries.of("AccountSid", "ApiVersion", "SmsStatus")),
                FuzzText.any()).ofMaxSize(3);
    }

    /** Requests of these parameters: signed as Twilio signs, with a wrong signature, or not as a form at all. */
    private static Arbitrary<CallbackRequest> requests(String url, Arbitrary<Map<String, String>> params) {
        Arbitrary<CallbackRequest> signed = params.map(p ->
                TwilioSignatures.signed(TOKEN, url, p).as(CallbackRequest::post));
        Arbitrary<CallbackRequest> forged = Combinators.combine(params, FuzzText.any())
                .as((p, signature) -> TwilioSignatures.signed(p, signature).as(CallbackRequest::post));
        Arbitrary<CallbackRequest> raw = Combinators.combine(
                FuzzText.around(Arbitraries.of("POST", "post", "GET", "PUT", "")),
                Arbitraries.maps(FuzzText.around(Arbitraries.of("X-Twilio-Signature", "Content-Type", "x-twilio-signature")),
                        FuzzText.any().list().ofMaxSize(2)).ofMaxSize(3),
                Arbitraries.oneOf(FuzzText.any().map(body -> body.getBytes(StandardCharsets.UTF_8)),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(100),
                        Arbitraries.of("a=%zz&b", "=&=&", "%", "a=%E0%A4%A", "MessageSid=" + SID + "&MessageStatus=sent")
                                .map(body -> body.getBytes(StandardCharsets.UTF_8))))
                .as((method, headers, body) -> new CallbackRequest(method, "/", headers, body));
        return Arbitraries.frequencyOf(Tuple.of(5, signed), Tuple.of(2, forged), Tuple.of(2, raw));
    }

    @Property(tries = 500)
    void a_handler_url_is_taken_or_refused_without_its_password(@ForAll("handlerUrls") Tuple.Tuple2<String, String> url) {
        List<String> secrets = url.get2().isEmpty() ? List.of() : List.of(url.get2());
        DocumentedFailures.only(() -> TwilioCallbacks.builder(fixture.irisx.tenant(TenantId.of("acme")), TOKEN)
                .statusUrl(url.get1()).inboundUrl(url.get1()).build(), List.of(IllegalArgumentException.class), secrets)
                .ifPresent(e -> assertThat(e.getMessage()).startsWith("statusUrl"));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> handlerUrls() {
        Arbitrary<String> url = FuzzText.around(Arbitraries.of(STATUS_URL, INBOUND_URL, "http://hooks.acme.example/t",
                "ftp://ada:PASSWORD@hooks.acme.example/t", "https://ada:PASSWORD@/t", "https://x.example/t?token=PASSWORD&a=b c",
                "hooks.acme.example/t"));
        return Combinators.combine(url, FuzzText.secret()).as((u, password) -> {
            boolean secret = u.contains(":PASSWORD@") || u.contains("?token=PASSWORD");
            return Tuple.of(u.replace("PASSWORD", secret ? password : "public"), secret ? password : "");
        });
    }

    @Property(tries = 1)
    void the_signed_requests_reach_past_the_signature_check() {
        Map<String, String> params = Map.of("MessageSid", SID, "MessageStatus", "delivered");
        assertThat(callbacks.status(TwilioSignatures.signed(TOKEN, STATUS_URL, params).as(CallbackRequest::post))
                .status()).isEqualTo(204);
        assertThat(callbacks.status(TwilioSignatures.signed(params, "forged").as(CallbackRequest::post)).status())
                .isEqualTo(403);
        assertThat(callbacks.inbound(TwilioSignatures.signed(TOKEN, INBOUND_URL, Map.of("MessageSid",
                "SM" + "fedcba9876543210".repeat(2), "From", "+447400123456", "To", "+447400654321", "Body", "help",
                "NumMedia", "0")).as(CallbackRequest::post)).bodyText())
                .contains("<Message>Acme: reply STOP to opt out &amp; &lt;more&gt;</Message>");
    }
}
