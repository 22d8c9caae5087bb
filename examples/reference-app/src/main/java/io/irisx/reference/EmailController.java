package io.irisx.reference;

import static io.irisx.reference.Paging.required;

import io.irisx.core.Page;
import io.irisx.core.Tenant;
import io.irisx.core.id.MessageId;
import io.irisx.core.tenant.ApiScope;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailFilter;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.EmailStream;
import io.irisx.messaging.email.Engagement;
import io.irisx.messaging.email.StatusChange;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
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
 * Emails of the caller's tenant: send (honouring {@code Idempotency-Key}), get, list with filters, status history,
 * attachments, opens and clicks.
 */
@RestController
@RequestMapping("/v1/emails")
class EmailController {

    /**
     * An email to send, as JSON.
     *
     * @param attachments each with {@code filename}, {@code contentType} and {@code content} (base64)
     */
    record SendEmail(String from, String fromName, List<String> to, List<String> cc, List<String> bcc,
            List<String> replyTo, String subject, String text, String html, String template,
            Map<String, Object> variables, List<AttachmentJson> attachments, Map<String, String> headers,
            List<String> tags, Map<String, String> metadata, String stream, Boolean track) {
    }

    record AttachmentJson(String filename, String contentType, String content) {
    }

    record Accepted(MessageId id) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(ApiScope.EMAIL_SEND)
    Accepted send(Tenant tenant, @RequestBody SendEmail body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        return new Accepted(Clients.email(tenant).send(message(body, idempotencyKey)));
    }

    @GetMapping
    @RequiresScope(ApiScope.EMAIL_READ)
    Page<Email> list(Tenant tenant, @RequestParam(required = false) List<String> status,
            @RequestParam(required = false) String createdFrom, @RequestParam(required = false) String createdTo,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        EmailFilter filter = EmailFilter.all();
        List<EmailStatus> statuses = Paging.enumValues(EmailStatus.class, "status", status);
        if (!statuses.isEmpty()) {
            filter = filter.statuses(statuses.get(0),
                    statuses.subList(1, statuses.size()).toArray(EmailStatus[]::new));
        }
        Optional<Paging.Window> created = Paging.created(createdFrom, createdTo);
        if (created.isPresent()) {
            filter = filter.createdBetween(created.get().from(), created.get().to());
        }
        return Clients.email(tenant).list(filter, Paging.page(cursor, limit));
    }

    @GetMapping("/{id}")
    @RequiresScope(ApiScope.EMAIL_READ)
    Email get(Tenant tenant, @PathVariable String id) {
        return Clients.email(tenant).get(MessageId.parse(id));
    }

    @GetMapping("/{id}/history")
    @RequiresScope(ApiScope.EMAIL_READ)
    List<StatusChange> history(Tenant tenant, @PathVariable String id) {
        return Clients.email(tenant).history(MessageId.parse(id));
    }

    @GetMapping("/{id}/attachments")
    @RequiresScope(ApiScope.EMAIL_READ)
    List<AttachmentJson> attachments(Tenant tenant, @PathVariable String id) {
        return Clients.email(tenant).attachments(MessageId.parse(id)).stream().map(attachment -> new AttachmentJson(
                attachment.filename(), attachment.contentType(),
                Base64.getEncoder().encodeToString(attachment.content()))).toList();
    }

    @GetMapping("/{id}/engagements")
    @RequiresScope(ApiScope.EMAIL_READ)
    List<Engagement> engagements(Tenant tenant, @PathVariable String id) {
        return Clients.email(tenant).engagements(MessageId.parse(id));
    }

    private static EmailMessage message(SendEmail body, String idempotencyKey) {
        EmailMessage.Builder message = EmailMessage.builder();
        String from = required(body.from(), "from");
        if (body.fromName() == null) {
            message.from(from);
        } else {
            message.from(from, body.fromName());
        }
        each(body.to(), message::to);
        each(body.cc(), message::cc);
        each(body.bcc(), message::bcc);
        each(body.replyTo(), message::replyTo);
        if (body.template() != null) {
            message.template(body.template(), body.variables() == null ? Map.of() : body.variables());
        }
        if (body.subject() != null) {
            message.subject(body.subject());
        }
        if (body.text() != null) {
            message.text(body.text());
        }
        if (body.html() != null) {
            message.html(body.html());
        }
        if (body.attachments() != null) {
            for (AttachmentJson attachment : body.attachments()) {
                message.attach(Attachment.of(required(attachment.filename(), "attachments.filename"),
                        required(attachment.contentType(), "attachments.contentType"),
                        base64(required(attachment.content(), "attachments.content"))));
            }
        }
        if (body.headers() != null) {
            body.headers().forEach(message::header);
        }
        each(body.tags(), message::tag);
        if (body.metadata() != null) {
            body.metadata().forEach(message::metadata);
        }
        if (body.stream() != null) {
            message.stream(Paging.enumValue(EmailStream.class, "stream", body.stream()));
        }
        if (body.track() != null) {
            message.track(body.track());
        }
        if (idempotencyKey != null) {
            message.idempotencyKey(idempotencyKey);
        }
        return message.build();
    }

    private static byte[] base64(String content) {
        try {
            return Base64.getDecoder().decode(content);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attachments.content must be base64: " + e.getMessage());
        }
    }

    private static void each(List<String> values, java.util.function.Consumer<String> add) {
        if (values != null) {
            values.forEach(add);
        }
    }
}
