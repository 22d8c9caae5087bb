package io.irisx.reference;

import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.elasticemail.ElasticEmailEvents;
import io.irisx.messaging.email.mailgun.MailgunEvents;
import io.irisx.messaging.email.postmark.PostmarkEvents;
import io.irisx.messaging.email.resend.ResendEvents;
import io.irisx.messaging.email.sendgrid.SendGridEvents;
import io.irisx.messaging.email.ses.SesEvents;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * recording and flow (TwiML) callbacks, the email providers' event webhooks (Postmark, SendGrid, Mailgun, Resend,
 * Amazon SES through SNS, Elastic Email), Stripe's webhook (top-ups, refunds and disputes), and the email links
 * (one-click unsubscribe, opens, clicks). The handlers check the providers' signatures (or Postmark's basic
 * authentication, or the secret in Elastic Email's notification URL), so these routes carry no API key. A callback's
 * tenant is in its URL, as the app gave it to the provider (Stripe's events name theirs), and must be one the app
 * registered (else 404); an email webhook whose secret is not set in {@code app.*} answers 503. Twilio signs the URL
 * it was given: the handlers are built with {@code app.public-url} and the route's path. SNS's signing certificates
 * are fetched with the host's {@link SesEvents.Fetcher} bean when it has one (a proxy, say), else directly.
 * Thread-safe: each tenant's handlers are built once and kept, so that each counts and throttles its refusals.
 */
@RestController
class CallbackController {

    private static final Logger log = LoggerFactory.getLogger(CallbackController.class);

    private final Irisx irisx;
    private final AppProperties app;
    private final IrisxProperties properties;
    private final ObjectProvider<EmailModule> email;
    private final Payments payments;
    private final Map<TenantId, TwilioCallbacks> sms = new ConcurrentHashMap<>();
    private final Map<TenantId, TwilioVoiceCallbacks> voice = new ConcurrentHashMap<>();
    private final Map<TenantId, PostmarkEvents> postmark = new ConcurrentHashMap<>();
    private final Map<TenantId, SendGridEvents> sendGrid = new ConcurrentHashMap<>();
    private final Map<TenantId, MailgunEvents> mailgun = new ConcurrentHashMap<>();
    private final Map<TenantId, ResendEvents> resend = new ConcurrentHashMap<>();
    private final Map<TenantId, SesEvents> ses = new ConcurrentHashMap<>();
    private final Map<TenantId, ElasticEmailEvents> elasticEmail = new ConcurrentHashMap<>();
    private final ObjectProvider<SesEvents.Fetcher> snsFetcher;
    private final Set<String> misconfigured = ConcurrentHashMap.newKeySet();

    CallbackController(Irisx irisx, AppProperties app, IrisxProperties properties, ObjectProvider<EmailModule> email,
            Payments payments, ObjectProvider<SesEvents.Fetcher> snsFetcher) {
        this.irisx = irisx;
        this.payments = payments;
        this.app = app;
        this.properties = properties;
        this.email = email;
        this.snsFetcher = snsFetcher;
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
        return answer(emailHandler(postmark, tenant, !app.postmarkWebhookUser().isEmpty(), "the Postmark webhook",
                "app.postmark-webhook-user and app.postmark-webhook-password",
                t -> PostmarkEvents.builder(t).basicAuth(app.postmarkWebhookUser(), app.postmarkWebhookPassword())
                        .build()).handle(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/sendgrid", method = RequestMethod.POST)
    ResponseEntity<byte[]> sendGrid(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(emailHandler(sendGrid, tenant, !app.sendgridWebhookVerificationKey().isEmpty(),
                "the SendGrid Event Webhook", "app.sendgrid-webhook-verification-key",
                t -> SendGridEvents.builder(t, app.sendgridWebhookVerificationKey()).build())
                .handle(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/mailgun", method = RequestMethod.POST)
    ResponseEntity<byte[]> mailgun(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(emailHandler(mailgun, tenant, !app.mailgunWebhookSigningKey().isEmpty(), "the Mailgun webhooks",
                "app.mailgun-webhook-signing-key",
                t -> MailgunEvents.builder(t, app.mailgunWebhookSigningKey()).build()).handle(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/resend", method = RequestMethod.POST)
    ResponseEntity<byte[]> resend(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(emailHandler(resend, tenant, !app.resendWebhookSecret().isEmpty(), "the Resend webhook",
                "app.resend-webhook-secret",
                t -> ResendEvents.builder(t, app.resendWebhookSecret()).build()).handle(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/ses", method = RequestMethod.POST)
    ResponseEntity<byte[]> ses(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(emailHandler(ses, tenant, !app.sesTopicArns().isEmpty(), "the Amazon SES events",
                "app.ses-topic-arns", this::sesEvents).handle(callback(request)));
    }

    @RequestMapping(path = "/callbacks/{tenant}/elasticemail", method = RequestMethod.GET)
    ResponseEntity<byte[]> elasticEmail(@PathVariable String tenant, HttpServletRequest request) throws IOException {
        return answer(emailHandler(elasticEmail, tenant, !app.elasticEmailWebhookSecret().isEmpty(),
                "the Elastic Email notifications", "app.elastic-email-webhook-secret",
                t -> ElasticEmailEvents.builder(t, AppProperties.ELASTIC_EMAIL_SECRET_PARAMETER,
                        app.elasticEmailWebhookSecret()).build()).handle(callback(request)));
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

    /**
     * {@code tenant}'s handler of an email provider's events, built by {@code build} on first use and kept in
     * {@code handlers}: 503 naming {@code property} when it is not {@code configured}, or IRISX refuses its value
     * (logged at WARN once), or the app has no email module; 404 for a tenant the app did not register.
     */
    private <H> H emailHandler(Map<TenantId, H> handlers, String tenant, boolean configured, String webhook,
            String property, Function<Tenant, H> build) {
        if (!configured) {
            throw new ModuleMissingException(webhook, new IllegalStateException("set " + property));
        }
        if (email.getIfAvailable() == null) {
            throw new ModuleMissingException("email", new IllegalStateException("configure an email provider"));
        }
        return handlers.computeIfAbsent(registered(tenant), id -> {
            try {
                return build.apply(irisx.tenant(id));
            } catch (IllegalArgumentException | IllegalStateException refused) {
                if (misconfigured.add(webhook)) {
                    log.warn("{} answers 503 until {} is fixed: {}", webhook, property, refused.getMessage());
                }
                throw new ModuleMissingException(webhook, new IllegalStateException(
                        "fix " + property + ": " + refused.getMessage(), refused));
            }
        });
    }

    private SesEvents sesEvents(Tenant tenant) {
        SesEvents.Builder builder = SesEvents.builder(tenant).confirmSubscriptions(app.sesConfirmSubscriptions());
        app.sesTopicArns().forEach(builder::topicArn);
        snsFetcher.ifAvailable(builder::fetcher);
        return builder.build();
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
