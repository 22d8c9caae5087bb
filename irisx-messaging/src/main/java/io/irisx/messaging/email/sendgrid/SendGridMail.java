package io.irisx.messaging.email.sendgrid;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Attachments;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.Personalization;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.util.Base64;
import java.util.List;

/**
 * An {@link OutgoingEmail} as the SDK's {@link Mail}, the v3 Mail Send request body. The SDK's {@code Mail} (4.10) has
 * a single {@code reply_to}; SendGrid takes several in {@code reply_to_list}, which this subclass adds and uses only
 * when there are several (the two fields are mutually exclusive).
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
final class SendGridMail extends Mail {

    @JsonProperty("reply_to_list")
    List<Email> replyToList;

    private SendGridMail() {
    }

    static SendGridMail of(OutgoingEmail email) {
        SendGridMail mail = new SendGridMail();
        mail.setFrom(address(email.from()));
        mail.setSubject(email.subject());
        mail.addPersonalization(personalization(email));
        if (email.replyTo().size() == 1) {
            mail.setReplyTo(address(email.replyTo().get(0)));
        } else if (email.replyTo().size() > 1) {
            mail.replyToList = email.replyTo().stream().map(SendGridMail::address).toList();
        }
        // SendGrid requires text/plain before text/html.
        if (email.hasText()) {
            mail.addContent(new Content("text/plain", email.text()));
        }
        if (email.hasHtml()) {
            mail.addContent(new Content("text/html", email.html()));
        }
        email.attachments().forEach(a -> mail.addAttachments(attachment(a)));
        email.headers().forEach(mail::addHeader);
        email.tags().forEach(mail::addCategory);
        email.metadata().forEach(mail::addCustomArg);
        return mail;
    }

    private static Personalization personalization(OutgoingEmail email) {
        Personalization personalization = new Personalization();
        email.to().forEach(a -> personalization.addTo(address(a)));
        email.cc().forEach(a -> personalization.addCc(address(a)));
        email.bcc().forEach(a -> personalization.addBcc(address(a)));
        return personalization;
    }

    private static Email address(EmailAddress address) {
        // An empty name would be sent as "name": "", which SendGrid shows as an empty display name.
        return address.name().isEmpty() ? new Email(address.address()) : new Email(address.address(), address.name());
    }

    private static Attachments attachment(Attachment attachment) {
        Attachments result = new Attachments();
        result.setContent(Base64.getEncoder().encodeToString(attachment.content()));
        result.setType(attachment.contentType());
        result.setFilename(attachment.filename());
        result.setDisposition(attachment.isInline() ? "inline" : "attachment");
        attachment.contentId().ifPresent(result::setContentId);
        return result;
    }
}
