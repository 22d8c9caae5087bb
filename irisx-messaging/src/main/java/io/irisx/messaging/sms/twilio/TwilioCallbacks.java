package io.irisx.messaging.sms.twilio;

import com.twilio.security.RequestValidator;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.secret.Redaction;
import io.irisx.messaging.internal.ProviderSdk;
import io.irisx.messaging.sms.InboundSms;
import io.irisx.messaging.sms.Keyword;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsReport;
import io.irisx.messaging.sms.SmsStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One tenant's Twilio callback handlers, free of any web framework: the host mounts {@link #status} at the status
 * callback URL and {@link #inbound} at the number's incoming-message URL, passing each request in and writing the
 * response out; thread-safe.
 *
 * <p>Every request's {@code X-Twilio-Signature} is checked with the Twilio SDK's {@link RequestValidator} against the
 * URL as configured here — the one Twilio was given, which behind a proxy is not the one the host sees — and the
 * form parameters. A forged or missing signature is answered 403, a malformed request 400 (a parameter IRISX
 * stores that does not fit its column included), a status report for a message SID the tenant does not have 404;
 * none of them changes anything.
 *
 * <p>Status reports ({@code MessageStatus}: queued, accepted, scheduled, sending and sent are SENT; delivered,
 * undelivered, failed, read; canceled is FAILED) move the message forward only, with Twilio's {@code ErrorCode}.
 * Inbound messages are stored once per {@code MessageSid} and emitted as {@code sms.received} with their media;
 * STOP and its synonyms put the sender on the tenant's opt-out list, START and its synonyms take it off, and HELP is
 * answered with the configured text in TwiML.
 */
public final class TwilioCallbacks {

    private static final String PROVIDER = "twilio";
    private static final Pattern MESSAGE_SID = Pattern.compile("(SM|MM)[0-9a-fA-F]{32}");
    /** Twilio's error codes are numbers (30003); the column holds 16 characters. */
    private static final Pattern ERROR_CODE = Pattern.compile("[0-9A-Za-z]{1,16}");

    private final SmsClient sms;
    private final TenantId tenant;
    private final RequestValidator validator;
    private final String statusUrl;
    private final String inboundUrl;
    private final String helpText;

    private TwilioCallbacks(Builder b) {
        this.sms = b.sms;
        this.tenant = b.tenant;
        this.validator = new RequestValidator(b.authToken);
        this.statusUrl = b.statusUrl;
        this.inboundUrl = b.inboundUrl;
        this.helpText = b.helpText;
    }

    /**
     * A builder for {@code tenant}'s handlers, checking signatures with the account's auth token; the runtime's
     * {@link io.irisx.messaging.sms.SmsModule} keeps the messages.
     */
    public static Builder builder(Tenant tenant, String authToken) {
        ProviderSdk.require(TwilioProvider.NAME, "twilio", List.of("com.twilio.security.RequestValidator"));
        return new Builder(tenant, authToken);
    }

    /** Handles a status callback: checks it and applies it to the tenant's message. */
    public CallbackResponse status(CallbackRequest request) {
        Optional<Map<String, String>> form = verified(request, statusUrl);
        if (form.isEmpty()) {
            return CallbackResponse.text(403, "the X-Twilio-Signature does not match");
        }
        Map<String, String> params = form.get();
        String sid = params.getOrDefault("MessageSid", "");
        String word = params.getOrDefault("MessageStatus", "").toLowerCase(Locale.ROOT);
        Optional<SmsStatus> status = status(word);
        if (!MESSAGE_SID.matcher(sid).matches() || status.isEmpty()) {
            return CallbackResponse.text(400, "a status callback needs a MessageSid and a known MessageStatus");
        }
        String errorCode = params.getOrDefault("ErrorCode", "");
        if (!errorCode.isEmpty() && !ERROR_CODE.matcher(errorCode).matches()) {
            return CallbackResponse.text(400, "ErrorCode must be 1-16 letters or digits, was "
                    + errorCode.length() + " characters");
        }
        Optional<Sms> found = sms.record(new SmsReport(PROVIDER, sid, status.get(), word,
                errorCode.isBlank() ? Optional.empty() : Optional.of(errorCode), sms.clock().instant()));
        return found.isPresent() ? CallbackResponse.empty(204)
                : CallbackResponse.text(404, "no message of SID " + sid);
    }

    /** Handles an incoming message: checks it, stores it, applies its keyword, and answers in TwiML. */
    public CallbackResponse inbound(CallbackRequest request) {
        Optional<Map<String, String>> form = verified(request, inboundUrl);
        if (form.isEmpty()) {
            return CallbackResponse.text(403, "the X-Twilio-Signature does not match");
        }
        Map<String, String> params = form.get();
        String sid = params.getOrDefault("MessageSid", "");
        if (!MESSAGE_SID.matcher(sid).matches()) {
            return CallbackResponse.text(400, "an incoming message needs a MessageSid");
        }
        PhoneNumber from;
        PhoneNumber to;
        List<String> media = new ArrayList<>();
        try {
            from = PhoneNumber.ofSms(params.getOrDefault("From", ""));
            to = PhoneNumber.ofSms(params.getOrDefault("To", ""));
            int count = Integer.parseInt(params.getOrDefault("NumMedia", "0"));
            if (count < 0 || count > 10) {
                return CallbackResponse.text(400, "NumMedia must be between 0 and 10");
            }
            for (int i = 0; i < count; i++) {
                String url = params.getOrDefault("MediaUrl" + i, "");
                URI uri = URI.create(url);
                if (!"https".equals(uri.getScheme())) {
                    return CallbackResponse.text(400, "MediaUrl" + i + " must be an https URL");
                }
                media.add(url);
            }
        } catch (IrisxValidationException | IllegalArgumentException e) {
            return CallbackResponse.text(400, "malformed incoming message: " + e.getMessage());
        }
        String body = params.getOrDefault("Body", "");
        if (body.indexOf('\0') >= 0) {
            return CallbackResponse.text(400, "Body must not contain NUL");
        }
        Optional<InboundSms> stored = sms.receive(PROVIDER, sid, from, to, body, media);
        if (stored.isPresent() && Keyword.of(body) == Keyword.HELP && !helpText.isEmpty()) {
            return twiml("<Response><Message>" + xml(helpText) + "</Message></Response>");
        }
        return twiml("<Response/>");
    }

    private Optional<Map<String, String>> verified(CallbackRequest request, String url) {
        if (url == null) {
            throw new IllegalStateException("this handler's URL is not configured on the builder");
        }
        if (!request.is("POST")) {
            return Optional.empty();
        }
        Map<String, String> params;
        try {
            params = first(CallbackRequest.form(request.bodyText()));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        String signature = request.header("X-Twilio-Signature");
        if (signature.isEmpty() || !validator.validate(url, params, signature)) {
            return Optional.empty();
        }
        return Optional.of(params);
    }

    private static Optional<SmsStatus> status(String word) {
        return Optional.ofNullable(switch (word) {
            case "queued", "accepted", "scheduled", "sending", "sent" -> SmsStatus.SENT;
            case "delivered" -> SmsStatus.DELIVERED;
            case "undelivered" -> SmsStatus.UNDELIVERED;
            case "failed", "canceled" -> SmsStatus.FAILED;
            case "read" -> SmsStatus.READ;
            default -> null;
        });
    }

    /** The first value of each parameter. */
    private static Map<String, String> first(Map<String, List<String>> parameters) {
        Map<String, String> first = new LinkedHashMap<>();
        parameters.forEach((name, values) -> first.put(name, values.get(0)));
        return first;
    }

    private static CallbackResponse twiml(String body) {
        return CallbackResponse.of(200, "text/xml; charset=utf-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        return "TwilioCallbacks[" + tenant + "]";
    }

    /** Builds {@link TwilioCallbacks}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final SmsClient sms;
        private final TenantId tenant;
        private final String authToken;
        private String statusUrl;
        private String inboundUrl;
        private String helpText = "";

        private Builder(Tenant tenant, String authToken) {
            this.sms = SmsClient.of(Objects.requireNonNull(tenant, "tenant"));
            this.tenant = tenant.id();
            Objects.requireNonNull(authToken, "authToken");
            if (!authToken.matches("[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("authToken must be a Twilio auth token (32 hex digits), was a value of "
                        + authToken.length() + " characters (not shown)");
            }
            this.authToken = authToken;
        }

        /** The status callback URL exactly as Twilio was given it (scheme, host, port, path and query). */
        public Builder statusUrl(String url) {
            this.statusUrl = url("statusUrl", url);
            return this;
        }

        /** The incoming-message URL exactly as it is configured on the Twilio number. */
        public Builder inboundUrl(String url) {
            this.inboundUrl = url("inboundUrl", url);
            return this;
        }

        /** The reply to HELP and INFO, at most 1600 characters (default: no reply). */
        public Builder helpText(String helpText) {
            Objects.requireNonNull(helpText, "helpText");
            if (helpText.length() > 1600) {
                throw new IllegalArgumentException("helpText must be at most 1600 characters, was " + helpText.length());
            }
            this.helpText = helpText;
            return this;
        }

        /** The handlers; the builder may be used again. */
        public TwilioCallbacks build() {
            if (statusUrl == null && inboundUrl == null) {
                throw new IllegalStateException("set the statusUrl, the inboundUrl, or both");
            }
            return new TwilioCallbacks(this);
        }

        private static String url(String field, String url) {
            Objects.requireNonNull(url, field);
            URI uri;
            // A refused URL is shown without the password of its user info or of its query.
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + " must be an http(s) URL, was '" + Redaction.url(url) + "'");
            }
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException(field + " must be an http(s) URL, was '" + Redaction.url(url) + "'");
            }
            return url;
        }
    }
}
