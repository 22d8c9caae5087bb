package io.irisx.messaging.email.postmark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.irisx.core.ProviderException;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** An email in Postmark's {@code POST /email} JSON, and Postmark's error text. */
final class PostmarkMessage {

    private PostmarkMessage() {
    }

    /** The JSON body of {@code POST /email} for {@code email}, sent through {@code messageStream}. */
    static byte[] json(OutgoingEmail email, String messageStream) {
        ObjectNode root = ProviderHttp.JSON.createObjectNode();
        root.put("From", email.from().formatted());
        root.put("To", list(email.to()));
        if (!email.cc().isEmpty()) {
            root.put("Cc", list(email.cc()));
        }
        if (!email.bcc().isEmpty()) {
            root.put("Bcc", list(email.bcc()));
        }
        if (!email.replyTo().isEmpty()) {
            root.put("ReplyTo", list(email.replyTo()));
        }
        root.put("Subject", email.subject());
        if (email.hasText()) {
            root.put("TextBody", email.text());
        }
        if (email.hasHtml()) {
            root.put("HtmlBody", email.html());
        }
        if (!email.headers().isEmpty()) {
            ArrayNode headers = root.putArray("Headers");
            email.headers().forEach((name, value) -> headers.addObject().put("Name", name).put("Value", value));
        }
        if (!email.tags().isEmpty()) {
            root.put("Tag", email.tags().get(0));
        }
        if (!email.metadata().isEmpty()) {
            ObjectNode metadata = root.putObject("Metadata");
            email.metadata().forEach(metadata::put);
        }
        if (!email.attachments().isEmpty()) {
            ArrayNode attachments = root.putArray("Attachments");
            for (Attachment attachment : email.attachments()) {
                ObjectNode node = attachments.addObject()
                        .put("Name", attachment.filename())
                        .put("Content", Base64.getEncoder().encodeToString(attachment.content()))
                        .put("ContentType", attachment.contentType());
                attachment.contentId().ifPresent(id -> node.put("ContentID", "cid:" + id));
            }
        }
        root.put("MessageStream", messageStream);
        try {
            return ProviderHttp.JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new ProviderException(PostmarkProvider.NAME, 0, null, false, "could not write the request: " + e, e);
        }
    }

    /** Postmark's own text in an answer {@code {"ErrorCode", "Message"}}: the message and the code. */
    static String errorText(JsonNode answer) {
        String message = answer.path("Message").asText("");
        JsonNode code = answer.path("ErrorCode");
        if (message.isEmpty()) {
            return code.isMissingNode() ? null : "ErrorCode " + code.asText();
        }
        return code.isMissingNode() ? message : message + " (ErrorCode " + code.asText() + ")";
    }

    /** Addresses as Postmark takes them: one string, comma-separated, names quoted. */
    private static String list(List<EmailAddress> addresses) {
        return addresses.stream().map(EmailAddress::formatted).collect(Collectors.joining(", "));
    }
}
