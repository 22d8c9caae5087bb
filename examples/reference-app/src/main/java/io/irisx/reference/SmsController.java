package io.irisx.reference;

import io.irisx.core.Page;
import io.irisx.core.Tenant;
import io.irisx.core.id.MessageId;
import io.irisx.core.tenant.ApiScope;
import io.irisx.messaging.sms.InboundSms;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsFilter;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.SmsStatusChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * SMS and MMS of the caller's tenant: send (honouring {@code Idempotency-Key}), get, list with filters (status,
 * recipient, sender, creation time), history, inbound, opt-outs. The default status callback is the app's own when
 * {@code app.public-url} is https, as Twilio requires; on plain http an SMS is sent without one (WARN at startup).
 */
@RestController
@RequestMapping("/v1/sms")
class SmsController {

    private static final Logger log = LoggerFactory.getLogger(SmsController.class);

    private final AppProperties app;

    SmsController(AppProperties app) {
        this.app = app;
        if (!app.publicUrlIsHttps()) {
            // Twilio takes only an https status callback: without one an SMS goes, but its delivery is never reported.
            log.warn("app.public-url {} is not https: SMS are sent without the app's status callback, so their"
                    + " delivery reports (DELIVERED, UNDELIVERED) do not arrive; set app.public-url to the app's https"
                    + " URL to have them", app.publicUrl());
        }
    }

    record SendSms(String to, String from, String messagingServiceSid, String body, List<String> mediaUrls,
            String statusCallback, List<String> tags, Map<String, String> metadata) {
    }

    record OptOut(String number, String reason) {
    }

    record OptOutState(String number, boolean optedOut) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(ApiScope.SMS_SEND)
    EmailController.Accepted send(Tenant tenant, @RequestBody SendSms body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        SmsMessage.Builder message = SmsMessage.builder().to(Paging.required(body.to(), "to"));
        if (body.from() != null) {
            message.from(body.from());
        }
        if (body.messagingServiceSid() != null) {
            message.messagingServiceSid(body.messagingServiceSid());
        }
        if (body.body() != null) {
            message.body(body.body());
        }
        if (body.mediaUrls() != null) {
            body.mediaUrls().forEach(message::media);
        }
        // Twilio reports the message's progress to the app's own status callback unless the caller names another;
        // it takes only https, so an app on plain http (the quickstart) sends without one.
        if (body.statusCallback() != null) {
            message.statusCallback(body.statusCallback());
        } else if (app.publicUrlIsHttps()) {
            message.statusCallback(app.publicUrl() + "/callbacks/" + tenant.id() + "/twilio/sms/status");
        }
        if (body.tags() != null) {
            body.tags().forEach(message::tag);
        }
        if (body.metadata() != null) {
            body.metadata().forEach(message::metadata);
        }
        if (idempotencyKey != null) {
            message.idempotencyKey(idempotencyKey);
        }
        return new EmailController.Accepted(Clients.sms(tenant).send(message.build()));
    }

    @GetMapping
    @RequiresScope(ApiScope.SMS_READ)
    Page<Sms> list(Tenant tenant, @RequestParam(required = false) List<String> status,
            @RequestParam(required = false) String to, @RequestParam(required = false) String from,
            @RequestParam(required = false) String createdFrom, @RequestParam(required = false) String createdTo,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        SmsFilter filter = SmsFilter.all();
        List<SmsStatus> statuses = Paging.enumValues(SmsStatus.class, "status", status);
        if (!statuses.isEmpty()) {
            filter = filter.statuses(statuses.get(0),
                    statuses.subList(1, statuses.size()).toArray(SmsStatus[]::new));
        }
        Optional<Paging.Window> created = Paging.created(createdFrom, createdTo);
        if (created.isPresent()) {
            filter = filter.createdBetween(created.get().from(), created.get().to());
        }
        if (to != null) {
            filter = filter.to(Paging.required(to, "to"));
        }
        if (from != null) {
            filter = filter.from(Paging.required(from, "from"));
        }
        return Clients.sms(tenant).list(filter, Paging.page(cursor, limit));
    }

    @GetMapping("/{id}")
    @RequiresScope(ApiScope.SMS_READ)
    Sms get(Tenant tenant, @PathVariable String id) throws HttpRequestMethodNotSupportedException {
        if (id.equals("opt-outs")) {
            // The opt-out list is added to (POST) and asked about a number at a time: IRISX has no listing of it.
            // Answered as the path's own 405, rather than as a message id that is not one.
            throw new HttpRequestMethodNotSupportedException("GET", List.of("POST"));
        }
        return Clients.sms(tenant).get(MessageId.parse(id));
    }

    @GetMapping("/{id}/history")
    @RequiresScope(ApiScope.SMS_READ)
    List<SmsStatusChange> history(Tenant tenant, @PathVariable String id) {
        return Clients.sms(tenant).history(MessageId.parse(id));
    }

    @GetMapping("/inbound")
    @RequiresScope(ApiScope.SMS_READ)
    Page<InboundSms> inbound(Tenant tenant, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return Clients.sms(tenant).inbound(Paging.page(cursor, limit));
    }

    @GetMapping("/opt-outs/{number}")
    @RequiresScope(ApiScope.SMS_READ)
    OptOutState optOut(Tenant tenant, @PathVariable String number) {
        return new OptOutState(number, Clients.sms(tenant).isOptedOut(number));
    }

    @PostMapping("/opt-outs")
    @RequiresScope(ApiScope.SMS_SEND)
    OptOutState addOptOut(Tenant tenant, @RequestBody OptOut body) {
        String number = Paging.required(body.number(), "number");
        Clients.sms(tenant).optOut(number, body.reason() == null ? "opted out through the API" : body.reason());
        return new OptOutState(number, true);
    }

    @DeleteMapping("/opt-outs/{number}")
    @RequiresScope(ApiScope.SMS_SEND)
    OptOutState removeOptOut(Tenant tenant, @PathVariable String number) {
        Clients.sms(tenant).optIn(number, "opted in through the API");
        return new OptOutState(number, false);
    }
}
