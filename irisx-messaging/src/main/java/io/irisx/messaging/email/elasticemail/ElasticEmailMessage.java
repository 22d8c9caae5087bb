package io.irisx.messaging.email.elasticemail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.irisx.core.ProviderException;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An email in Elastic Email's v4 {@code EmailTransactionalMessageData} JSON, and Elastic Email's error text. */
final class ElasticEmailMessage {

    private ElasticEmailMessage() {
    }

    /** The JSON body of {@code POST /v4/emails/transactional} for {@code email}. */
    static byte[] json(OutgoingEmail email) {
        ObjectNode root = ProviderHttp.JSON.createObjectNode();
        ObjectNode recipients = root.putObject("Recipients");
        addresses(recipients, "To", email.to());
        addresses(recipients, "CC", email.cc());
        addresses(recipients, "BCC", email.bcc());

        ObjectNode content = root.putObject("Content");
        content.put("From", email.from().formatted());
        if (!email.replyTo().isEmpty()) {
            content.put("ReplyTo", email.replyTo().get(0).formatted());
        }
        content.put("Subject", email.subject());
        ArrayNode body = content.putArray("Body");
        if (email.hasText()) {
            body.addObject().put("ContentType", "PlainText").put("Content", email.text()).put("Charset", "utf-8");
        }
        if (email.hasHtml()) {
            body.addObject().put("ContentType", "HTML").put("Content", email.html()).put("Charset", "utf-8");
        }
        if (!email.headers().isEmpty()) {
            ObjectNode headers = content.putObject("Headers");
            email.headers().forEach(headers::put);
        }
        if (!email.attachments().isEmpty()) {
            ArrayNode attachments = content.putArray("Attachments");
            for (Attachment attachment : email.attachments()) {
                attachments.addObject()
                        .put("BinaryContent", Base64.getEncoder().encodeToString(attachment.content()))
                        .put("Name", attachment.filename())
                        .put("ContentType", attachment.contentType());
            }
        }
        if (!email.metadata().isEmpty()) {
            content.put("Postback", postback(email.metadata()));
        }
        if (!email.tags().isEmpty()) {
            root.putObject("Options").put("ChannelName", email.tags().get(0));
        }
        try {
            return ProviderHttp.JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ElasticEmailProvider.NAME, 0, null, false,
                    "could not write the request: " + e, e);
        }
    }

    /** Metadata as the postback text: {@code application/x-www-form-urlencoded}, UTF-8, in order. */
    static String postback(Map<String, String> metadata) {
        return metadata.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Elastic Email's own text in an error answer {@code {"Error": "…"}}. */
    static String errorText(JsonNode answer) {
        JsonNode error = answer.path("Error");
        return error.isTextual() ? error.asText() : null;
    }

    private static void addresses(ObjectNode recipients, String field, List<EmailAddress> addresses) {
        if (!addresses.isEmpty()) {
            ArrayNode array = recipients.putArray(field);
            addresses.forEach(address -> array.add(address.formatted()));
        }
    }
}
