package io.irisx.messaging.email.mailgun;

import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.util.List;
import java.util.stream.Collectors;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;

/**
 * An {@link OutgoingEmail} as the multipart form Mailgun's messages API takes: {@code from}, one {@code to}/{@code
 * cc}/{@code bcc} field per recipient, {@code subject}, {@code text}, {@code html}, {@code h:Reply-To},
 * {@code h:<Header>}, {@code o:tag}, {@code v:<key>}, and {@code attachment}/{@code inline} file parts.
 */
final class MailgunForm {

    private MailgunForm() {
    }

    static MultipartBody of(OutgoingEmail email) {
        MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM);
        form.addFormDataPart("from", email.from().formatted());
        // One field per recipient rather than a comma-separated list: a display name may itself hold a comma.
        addresses(form, "to", email.to());
        addresses(form, "cc", email.cc());
        addresses(form, "bcc", email.bcc());
        form.addFormDataPart("subject", email.subject());
        if (email.hasText()) {
            form.addFormDataPart("text", email.text());
        }
        if (email.hasHtml()) {
            form.addFormDataPart("html", email.html());
        }
        if (!email.replyTo().isEmpty()) {
            form.addFormDataPart("h:Reply-To",
                    email.replyTo().stream().map(EmailAddress::formatted).collect(Collectors.joining(", ")));
        }
        email.headers().forEach((name, value) -> form.addFormDataPart("h:" + name, value));
        email.tags().forEach(tag -> form.addFormDataPart("o:tag", tag));
        email.metadata().forEach((key, value) -> form.addFormDataPart("v:" + key, value));
        for (Attachment attachment : email.attachments()) {
            RequestBody content = RequestBody.create(attachment.content(), MediaType.get(attachment.contentType()));
            if (attachment.isInline()) {
                // Mailgun gives an inline part the Content-ID of its file name: the HTML's cid: reference.
                form.addFormDataPart("inline", attachment.contentId().orElseThrow(), content);
            } else {
                form.addFormDataPart("attachment", attachment.filename(), content);
            }
        }
        return form.build();
    }

    private static void addresses(MultipartBody.Builder form, String field, List<EmailAddress> addresses) {
        addresses.forEach(address -> form.addFormDataPart(field, address.formatted()));
    }
}
