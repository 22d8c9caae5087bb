package io.irisx.reference;

import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.postmark.PostmarkEvents;
import io.irisx.messaging.sms.twilio.TwilioCallbacks;
import io.irisx.spring.boot.IrisxProperties;
import io.irisx.voice.twilio.TwilioVoiceCallbacks;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The providers' callbacks, each handed to IRISX's framework-free handler as a {@link CallbackRequest} and answered
 * with its {@link CallbackResponse}: Twilio's SMS status callbacks and incoming messages, Twilio's call status,
 * recording and flow (TwiML) callbacks, Postmark's event webhook, Stripe's webhook (top-ups, refunds and disputes),
 * and the email links (one-click unsubscribe, opens, clicks). The handlers check the providers' signatures (or
 * Postmark's basic authentication), so these routes carry no API key. A callback's tenant is in its URL, as the app
 * gave it to the provider (Stripe's events name theirs), and must be one the app registered (else 404). Twilio signs
 * the URL it was given: the handlers are built with {@code app.public-url} and the route's path. Thread-safe: each
 * tenant's handlers are built once and kept, so that each counts and throttles its refusals.
 */
@RestController
class CallbackController {

    private final Irisx irisx;
    private final AppProperties app;
    private final IrisxProperties properties;
    private final ObjectProvider<EmailModule> email;
    private final Payments payments;
    private final Map<TenantId, TwilioCallbacks> sms = new ConcurrentHashMap<>();
    private final Map<TenantId, TwilioVoiceCallbacks> voice = new ConcurrentHashMap<>();
    private final Map<TenantId, PostmarkEvents> postmark = new ConcurrentHashMap<>();

    CallbackController(Irisx irisx, AppProperties app, IrisxProperties properties, ObjectProvider<EmailModule> email,
            Payments payments) {
        this.irisx = irisx;
        this.payments = payments;
        this.app = app;
        this.properties = properties;
        this.email = email;
    }

    @RequestMapping(path = "/callbacks/{tenant}/twilio/sms/status", method = RequestMethod.POST)
    ResponseEntity<byte[]> smsStatus(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(smsHandlers(tenant).status(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/twilio/sms/inbound", method = RequestMethod.POST)
    ResponseEntity<byte[]> smsInbound(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(smsHandlers(tenant).inbound(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/twilio/voice/status", method = RequestMethod.POST)
    ResponseEntity<byte[]> callStatus(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(voiceHandlers(tenant).status(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/twilio/voice/recording", method = RequestMethod.POST)
    ResponseEntity<byte[]> callRecording(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(voiceHandlers(tenant).recording(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/twilio/voice/flow", method = RequestMethod.POST)
    ResponseEntity<byte[]> callFlow(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(voiceHandlers(tenant).flow(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/postmark", method = RequestMethod.POST)
    ResponseEntity<byte[]> postmark(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(postmarkHandler(tenant).handle(callback(request)));
    }

    @RequestMapping(path = "/callbacks/stripe", method = RequestMethod.POST)
    ResponseEntity<byte[]> stripe(HttpServletRequest request) throws IOException {
        return answer(payments.webhooks().handle(callback(request)));
    }

    @RequestMapping(path = "/links/u/{token}", method = {RequestMethod.GET, RequestMethod.POST})
    ResponseEntity<byte[]> unsubscribe(HttpServletRequest request) throws IOException {
        return link(request);
    }

    @RequestMapping(path = {"/links/o/{token}", "/links/c/{token}"}, method = RequestMethod.GET)
    ResponseEntity<byte[]> link(HttpServletRequest request) throws IOException {
        EmailModule module = email.getIfAvailable();
        if (module == null) {
            throw new ModuleMissingException("email", new IllegalStateException("configure an email provider"));
        }
        try {
            return answer(module.links().handle(callback(request)));
        } catch (IllegalStateException noLinks) {
            throw new ModuleMissingException("email links", noLinks);
        }
    }

    private TwilioCallbacks smsHandlers(String tenant) {
        String token = authToken(properties.getSms().getTwilio().getAuthToken(), "irisx.sms.twilio.auth-token");
        return sms.computeIfAbsent(registered(tenant), id -> {
            String base = app.publicUrl() + "/callbacks/" + id + "/twilio/sms/";
            return TwilioCallbacks.builder(irisx.tenant(id), token).statusUrl(base + "status")
                    .inboundUrl(base + "inbound").build();
        });
    }

    private TwilioVoiceCallbacks voiceHandlers(String tenant) {
        String token = authToken(properties.getVoice().getTwilio().getAuthToken(), "irisx.voice.twilio.auth-token");
        return voice.computeIfAbsent(registered(tenant), id -> {
            String base = app.publicUrl() + "/callbacks/" + id + "/twilio/voice/";
            return TwilioVoiceCallbacks.builder(irisx.tenant(id), token).statusUrl(base + "status")
                    .recordingUrl(base + "recording").flowUrl(base + "flow").build();
        });
    }

    private PostmarkEvents postmarkHandler(String tenant) {
        if (app.postmarkWebhookUser().isEmpty()) {
            throw new ModuleMissingException("the Postmark webhook", new IllegalStateException(
                    "set app.postmark-webhook-user and app.postmark-webhook-password"));
        }
        return postmark.computeIfAbsent(registered(tenant), id -> PostmarkEvents.builder(irisx.tenant(id))
                .basicAuth(app.postmarkWebhookUser(), app.postmarkWebhookPassword()).build());
    }

    /**
     * A tenant the app registered (404 for any other): the handlers are kept per tenant, so that each counts and
     * throttles its refusals, and a URL naming no tenant of the app's keeps nothing.
     */
    private TenantId registered(String tenant) {
        return irisx.tenants().get(TenantId.of(tenant)).id();
    }

    private static String authToken(String token, String property) {
        if (token == null || token.isBlank()) {
            throw new ModuleMissingException("Twilio", new IllegalStateException("set " + property));
        }
        return token;
    }

    /** The servlet request as IRISX's handlers take it: method, raw path and query, headers, raw body, address. */
    static CallbackRequest callback(HttpServletRequest request) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        byte[] body = request.getInputStream().readAllBytes();
        String query = request.getQueryString() == null ? "" : request.getQueryString();
        return new CallbackRequest(request.getMethod(), request.getRequestURI(), query, headers, body,
                request.getRemoteAddr());
    }

    static ResponseEntity<byte[]> answer(CallbackResponse response) {
        HttpHeaders headers = new HttpHeaders();
        response.headers().forEach(headers::set);
        return ResponseEntity.status(HttpStatus.valueOf(response.status())).headers(headers).body(response.body());
    }
}
