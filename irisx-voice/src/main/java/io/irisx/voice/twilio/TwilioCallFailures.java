package io.irisx.voice.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import io.irisx.core.ProviderException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;

/**
 * Turns what the Twilio SDK throws for a Calls API request, with Twilio's answer, into a {@link ProviderException}
 * that says whether a retry can help and carries Twilio's error code, message and {@code more_info} link. Stateless.
 */
final class TwilioCallFailures {

    /**
     * Twilio error codes that no retry can cure, whatever HTTP status came with them (twilio.com/docs/api/errors).
     * Twilio answers them with 400 (401 for 20003, 404 for 20404), which is permanent anyway; naming them keeps them
     * permanent if Twilio ever answers one with another status.
     */
    static final Set<Integer> PERMANENT_CODES = Set.of(
            20003, // authentication failed
            20404, // resource not found (the account SID in the path, or the call SID)
            21201, // no 'To' number
            21205, // the Url is not a valid URL
            21210, // 'From' is not a verified caller id of the account
            21211, // invalid 'To' number
            21212, // invalid 'From' (caller id) number
            21213, // a caller id is required
            21214, // the 'To' number cannot be reached
            21215, // the account is not authorised to call the 'To' number (geographic permissions)
            21216, // the account is not allowed to call the 'To' number (blocked)
            21217, // the 'To' number does not appear to be valid
            21219, // trial account: the 'To' number is not verified
            21220); // invalid call state: the call is not in progress (a hang-up or redirect of an ended call)

    /** Twilio error codes that say "later": too many requests, internal error, service unavailable. */
    static final Set<Integer> RETRYABLE_CODES = Set.of(20429, 20500, 20503);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 2000;

    private TwilioCallFailures() {
    }

    /** The failure for {@code thrown}, given Twilio's {@code answer} to the request ({@code null} when there was none). */
    static ProviderException of(TwilioException thrown, TwilioHttpClient.Answer answer) {
        if (answer == null) {
            return noAnswer(thrown);
        }
        int status = answer.status();
        if (status < 400) {
            // Twilio took the request but its answer could not be read: placing again could call twice.
            return new ProviderException(TwilioVoiceProvider.NAME, status, answer.requestId(), false,
                    "accepted the request but its answer could not be read (" + thrown.getMessage() + "): "
                            + truncate(answer.body()), thrown);
        }
        Integer code = thrown instanceof ApiException api ? api.getCode() : null;
        return new ProviderException(TwilioVoiceProvider.NAME, status, answer.requestId(), retryable(status, code),
                text(thrown, code, answer.body()), thrown);
    }

    /** A known permanent code never is; otherwise 408, 429, 5xx and Twilio's "later" codes are. */
    static boolean retryable(int status, Integer code) {
        if (code != null && PERMANENT_CODES.contains(code)) {
            return false;
        }
        return status == 408 || status == 429 || status >= 500 || code != null && RETRYABLE_CODES.contains(code);
    }

    private static ProviderException noAnswer(TwilioException thrown) {
        Throwable cause = thrown.getCause();
        if (cause instanceof InterruptedIOException) {
            return new ProviderException(TwilioVoiceProvider.NAME, 0, null, true,
                    "no answer within the timeout: " + cause, thrown);
        }
        if (cause instanceof IOException) {
            return new ProviderException(TwilioVoiceProvider.NAME, 0, null, true, "connection failed: " + cause,
                    thrown);
        }
        return new ProviderException(TwilioVoiceProvider.NAME, 0, null, false,
                "the Twilio SDK could not make the request: " + thrown, thrown);
    }

    /**
     * Twilio's text for an error answer {@code {"code", "message", "more_info", "status"}}: its message, its
     * {@code detail} when it gives one, then the code and the link, e.g. {@code The 'To' number +1555 is not a valid
     * phone number. (Twilio error 21211, https://www.twilio.com/docs/errors/21211)}. An answer that is not Twilio's
     * JSON (a proxy's page, say) is quoted as it is.
     */
    private static String text(TwilioException thrown, Integer code, String body) {
        if (code == null) {
            return body.isBlank() ? "(empty body)" : truncate(body);
        }
        ApiException api = (ApiException) thrown;
        StringBuilder text = new StringBuilder(api.getMessage() == null ? "" : api.getMessage());
        String detail = detail(body);
        if (!detail.isEmpty()) {
            text.append(": ").append(detail);
        }
        text.append(" (Twilio error ").append(code);
        if (api.getMoreInfo() != null && !api.getMoreInfo().isBlank()) {
            text.append(", ").append(api.getMoreInfo());
        }
        return truncate(text.append(')').toString());
    }

    /** The {@code detail} Twilio adds to some answers (e.g. to 20003), which the SDK does not keep. */
    private static String detail(String body) {
        try {
            JsonNode detail = JSON.readTree(body).path("detail");
            return detail.isTextual() ? detail.asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
