package io.irisx.messaging.email.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.sendgrid.Response;
import io.irisx.core.ProviderException;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailReceipt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads SendGrid's answer to a Mail Send: 202 with an empty body and the id in {@code X-Message-Id}, or an error body
 * {@code {"errors":[{"message","field","help"}]}}.
 */
final class SendGridAnswer {

    static final String MESSAGE_ID_HEADER = "X-Message-Id";
    private static final int MAX_ERROR_TEXT = 2000;

    private SendGridAnswer() {
    }

    /**
     * The receipt for a 2xx answer; otherwise a {@link ProviderException}: 408, 429 and 5xx retryable, the rest
     * (400 bad request, 401 bad key, 403 unverified sender or blocked, 413 too large) permanent.
     */
    static EmailReceipt read(Response response) {
        int code = response.getStatusCode();
        String messageId = header(response.getHeaders(), MESSAGE_ID_HEADER);
        String body = response.getBody() == null ? "" : response.getBody();
        if (code >= 200 && code < 300) {
            if (messageId == null || messageId.isBlank()) {
                // Accepted but unidentifiable: sending again could deliver it twice, so this is not retryable.
                throw new ProviderException(SendGridProvider.NAME, code, null, false,
                        "accepted the request but its answer has no " + MESSAGE_ID_HEADER + " header");
            }
            return new EmailReceipt(messageId);
        }
        boolean retryable = code == 408 || code == 429 || code >= 500;
        JsonNode json = parse(body);
        String requestId = messageId != null ? messageId : text(json.path("id"));
        throw new ProviderException(SendGridProvider.NAME, code, requestId, retryable, errorText(json, body));
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        // The SDK keeps the headers as the server spelled them, in a case-sensitive map.
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? ProviderHttp.JSON.missingNode() : ProviderHttp.JSON.readTree(body);
        } catch (IOException notJson) {
            // A proxy's HTML page, say: the body itself is the best text there is.
            return ProviderHttp.JSON.missingNode();
        }
    }

    /** Each error's message, with the field it concerns: "message (field: from.email); …". */
    private static String errorText(JsonNode json, String body) {
        List<String> texts = new ArrayList<>();
        for (JsonNode error : json.path("errors")) {
            String message = text(error.path("message"));
            if (message == null) {
                continue;
            }
            String field = text(error.path("field"));
            texts.add(field == null ? message : message + " (field: " + field + ")");
        }
        String text = texts.isEmpty() ? (body.isBlank() ? "(empty body)" : body) : String.join("; ", texts);
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
