package io.irisx.voice.twilio;

import com.twilio.security.RequestValidator;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.secret.Redaction;
import io.irisx.voice.Call;
import io.irisx.voice.CallReport;
import io.irisx.voice.CallStatus;
import io.irisx.voice.Recording;
import io.irisx.voice.RecordingReport;
import io.irisx.voice.Voice;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.Step;
import io.irisx.voice.internal.Checks;
import io.irisx.voice.internal.VoiceSdk;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One tenant's Twilio voice handlers, free of any web framework: the host mounts {@link #status} at the status
 * callback URL, {@link #recording} at the recording status callback URL and {@link #flow} at the flow URL (the {@link TwilioVoiceProvider}'s, and its numbers' voice URL for
 * inbound calls), passing each request in and writing the response out; thread-safe.
 *
 * <p>Every request's {@code X-Twilio-Signature} is checked with the Twilio SDK's {@link RequestValidator} against the
 * URL as configured here — the one Twilio was given, which behind a proxy is not the one the host sees — with the
 * request's own query for the flow URL (which carries the flow, step and attempt), and the form parameters. A forged
 * or missing signature is answered 403, a malformed request 400; neither changes anything.
 *
 * <p>Status callbacks ({@code CallStatus}: {@code queued} and {@code initiated}, {@code ringing}, {@code in-progress},
 * {@code completed}, {@code busy}, {@code no-answer}, {@code failed}, {@code canceled}) move the tenant's call forward
 * only, each status once, with {@code CallDuration}, {@code AnsweredBy} and {@code ErrorCode} when Twilio sends them;
 * one for a call SID the tenant does not have is answered 404.
 *
 * <p>The flow URL answers with TwiML: a request without a step (Twilio's voice webhook, when the call is answered)
 * with the flow's first stretch of steps — the flow named in the query, else the {@linkplain Builder#inboundFlow
 * inbound flow} — and a gather's or a record's callback with what follows it: the branch the caller's
 * {@code Digits} or {@code SpeechResult} names, the gather again after no or invalid input while retries remain, else
 * its {@code otherwise}; after a recording, the record's {@code then}. An unknown flow or step is answered 404.
 * With {@linkplain io.irisx.voice.VoiceModule.Builder#tts text-to-speech} on the module, a say prompt that names no
 * voice is answered with {@code <Play>} of its synthesized audio (see {@link Voice#speechUrl}).
 */
public final class TwilioVoiceCallbacks {

    private static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");
    /** Twilio's error codes are numbers (31005); the column holds 16 characters. */
    private static final Pattern ERROR_CODE = Pattern.compile("[0-9A-Za-z]{1,16}");
    /** {@code human}, {@code machine_start}, {@code machine_end_beep}, {@code fax}, {@code unknown}, … */
    private static final Pattern ANSWERED_BY = Pattern.compile("[a-z_]{1,32}");
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,5}");
    private static final Pattern ATTEMPT = Pattern.compile("[1-9][0-9]?");
    private static final Pattern RECORDING_SID = Pattern.compile("RE[0-9a-fA-F]{32}");
    private static final Pattern CHANNELS = Pattern.compile("[12]");

    private final Voice voice;
    private final TenantId tenant;
    private final RequestValidator validator;
    private final String statusUrl;
    private final String recordingUrl;
    private final String flowUrl;
    private final String inboundFlow;

    private TwilioVoiceCallbacks(Builder b) {
        this.voice = b.voice;
        this.tenant = b.tenant;
        this.validator = new RequestValidator(b.authToken);
        this.statusUrl = b.statusUrl;
        this.recordingUrl = b.recordingUrl;
        this.flowUrl = b.flowUrl;
        this.inboundFlow = b.inboundFlow;
    }

    /**
     * A builder for {@code tenant}'s handlers, checking signatures with the account's auth token; the runtime's
     * {@link io.irisx.voice.VoiceModule} keeps the calls and the flows.
     *
     * @throws IllegalArgumentException when the token is not 32 hex digits (it is never shown)
     * @throws IllegalStateException when no {@code VoiceModule} is installed, or the Twilio SDK is not on the class
     *     path
     */
    public static Builder builder(Tenant tenant, String authToken) {
        VoiceSdk.require(TwilioVoiceProvider.NAME, "twilio", List.of("com.twilio.security.RequestValidator",
                "com.twilio.twiml.VoiceResponse"));
        return new Builder(tenant, authToken);
    }

    /** Handles a status callback: checks it and applies it to the tenant's call. */
    public CallbackResponse status(CallbackRequest request) {
        Objects.requireNonNull(request, "request");
        Optional<Map<String, String>> form = verified(request, required(statusUrl, "statusUrl"));
        if (form.isEmpty()) {
            return CallbackResponse.text(403, "the X-Twilio-Signature does not match");
        }
        Map<String, String> params = form.get();
        String sid = params.getOrDefault("CallSid", "");
        String word = params.getOrDefault("CallStatus", "").toLowerCase(Locale.ROOT);
        Optional<CallStatus> status = TwilioStatuses.of(word);
        if (!CALL_SID.matcher(sid).matches() || status.isEmpty()) {
            return CallbackResponse.text(400, "a status callback needs a CallSid and a known CallStatus");
        }
        Optional<String> duration = optional(params, "CallDuration", SECONDS);
        Optional<String> answeredBy = optional(params, "AnsweredBy", ANSWERED_BY);
        Optional<String> errorCode = optional(params, "ErrorCode", ERROR_CODE);
        if (duration == null || answeredBy == null || errorCode == null) {
            return CallbackResponse.text(400, "CallDuration must be seconds, AnsweredBy a word, ErrorCode 1-16 letters"
                    + " or digits");
        }
        Optional<Duration> seconds = duration.map(Long::parseLong).map(Duration::ofSeconds);
        if (seconds.isPresent() && seconds.get().toHours() > 24) {
            return CallbackResponse.text(400, "CallDuration must be at most 24 hours");
        }
        Optional<Call> found = voice.record(new CallReport(TwilioVoiceProvider.NAME, sid, status.get(), word,
                seconds, answeredBy.map(a -> a.toLowerCase(Locale.ROOT)), errorCode, voice.clock().instant()));
        return found.isPresent() ? CallbackResponse.empty(204) : CallbackResponse.text(404, "no call of SID " + sid);
    }

    /**
     * Handles a recording status callback: checks it and stores the recording for the tenant's call (see
     * {@link Voice#record(RecordingReport)}). It needs {@code CallSid}, {@code RecordingSid},
     * {@code RecordingUrl} (https), {@code RecordingStatus} ({@code in-progress}, {@code completed}, {@code absent},
     * {@code failed}) and {@code RecordingChannels} ({@code 1} or {@code 2}), and takes {@code RecordingDuration}
     * (seconds) when Twilio sends it: 204 when stored (or stored before), 404 for a call SID the tenant does not have.
     */
    public CallbackResponse recording(CallbackRequest request) {
        Objects.requireNonNull(request, "request");
        Optional<Map<String, String>> form = verified(request, required(recordingUrl, "recordingUrl"));
        if (form.isEmpty()) {
            return CallbackResponse.text(403, "the X-Twilio-Signature does not match");
        }
        Map<String, String> params = form.get();
        String sid = params.getOrDefault("CallSid", "");
        String recordingSid = params.getOrDefault("RecordingSid", "");
        String url = params.getOrDefault("RecordingUrl", "");
        String status = params.getOrDefault("RecordingStatus", "");
        String channels = params.getOrDefault("RecordingChannels", "");
        Optional<String> duration = optional(params, "RecordingDuration", SECONDS);
        if (!CALL_SID.matcher(sid).matches() || !RECORDING_SID.matcher(recordingSid).matches()
                || !url.startsWith("https://") || url.length() > Checks.MAX_URL
                || !RecordingReport.STATUSES.contains(status) || !CHANNELS.matcher(channels).matches()
                || duration == null || duration.map(Long::parseLong).filter(s -> s > 86_400).isPresent()) {
            return CallbackResponse.text(400, "a recording status callback needs a CallSid, a RecordingSid, an https"
                    + " RecordingUrl, a known RecordingStatus, RecordingChannels 1 or 2, and RecordingDuration in"
                    + " seconds (at most 24 hours) if any");
        }
        Optional<Recording> stored = voice.record(new RecordingReport(
                TwilioVoiceProvider.NAME, sid, recordingSid, url, duration.map(Long::parseLong)
                        .map(Duration::ofSeconds), Integer.parseInt(channels), status, voice.clock().instant()));
        return stored.isPresent() ? CallbackResponse.empty(204) : CallbackResponse.text(404, "no call of SID " + sid);
    }

    /**
     * Handles a request for TwiML at the flow URL: a call answered (the flow's first steps) or a gather's or record's
     * callback (the steps that follow it).
     */
    public CallbackResponse flow(CallbackRequest request) {
        Objects.requireNonNull(request, "request");
        String base = required(flowUrl, "flowUrl");
        String url = request.query().isEmpty() ? base : withoutQuery(base) + "?" + request.query();
        Optional<Map<String, String>> form = verified(request, url);
        if (form.isEmpty()) {
            return CallbackResponse.text(403, "the X-Twilio-Signature does not match");
        }
        Map<String, List<String>> query;
        try {
            query = CallbackRequest.form(request.query());
        } catch (IllegalArgumentException e) {
            return CallbackResponse.text(400, "the query is not URL-encoded");
        }
        String flowName = first(query, "flow").orElse(inboundFlow);
        if (flowName == null) {
            return CallbackResponse.text(404, "the request names no flow, and no inbound flow is configured");
        }
        Optional<Flow> flow = Checks.NAME.matcher(flowName).matches() ? voice.flow(flowName) : Optional.empty();
        if (flow.isEmpty()) {
            return CallbackResponse.text(404, "no flow named " + flowName);
        }
        Optional<String> stepId = first(query, "step");
        if (stepId.isEmpty()) {
            return twiml(TwimlRenderer.render(flow.get(), flow.get().start(), base, voice::speechUrl));
        }
        Optional<Step> step = flow.get().step(stepId.get());
        if (step.isEmpty()) {
            return CallbackResponse.text(404, "flow " + flowName + " has no step " + stepId.get());
        }
        String attemptText = first(query, "attempt").orElse("1");
        if (!ATTEMPT.matcher(attemptText).matches()) {
            return CallbackResponse.text(400, "attempt must be a number from 1 to 99");
        }
        Map<String, String> params = form.get();
        Optional<Flow.Position> next;
        if (step.get() instanceof Step.Gather gather) {
            next = flow.get().afterGather(gather, Integer.parseInt(attemptText), params.getOrDefault("Digits", ""),
                    params.getOrDefault("SpeechResult", ""));
        } else if (step.get() instanceof Step.Record record) {
            next = flow.get().after(record);
        } else {
            return CallbackResponse.text(400, "step " + stepId.get() + " of flow " + flowName + " takes no input");
        }
        return twiml(next.map(position -> TwimlRenderer.render(flow.get(), position, base, voice::speechUrl))
                .orElseGet(TwimlRenderer::hangup));
    }

    private Optional<Map<String, String>> verified(CallbackRequest request, String url) {
        if (!request.is("POST")) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        try {
            CallbackRequest.form(request.bodyText()).forEach((name, values) -> params.put(name, values.get(0)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        String signature = request.header("X-Twilio-Signature");
        if (signature.isEmpty() || !validator.validate(url, params, signature)) {
            return Optional.empty();
        }
        return Optional.of(params);
    }

    /** The parameter {@code name} when absent or matching {@code pattern}; {@code null} when present and not. */
    private static Optional<String> optional(Map<String, String> params, String name, Pattern pattern) {
        String value = params.getOrDefault(name, "");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return pattern.matcher(value).matches() ? Optional.of(value) : null;
    }

    private static Optional<String> first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static String required(String url, String field) {
        if (url == null) {
            throw new IllegalStateException("this handler's " + field + " is not configured on the builder");
        }
        return url;
    }

    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static CallbackResponse twiml(String body) {
        return CallbackResponse.of(200, "text/xml; charset=utf-8", body);
    }

    @Override
    public String toString() {
        return "TwilioVoiceCallbacks[" + tenant + "]";
    }

    /** Builds {@link TwilioVoiceCallbacks}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Voice voice;
        private final TenantId tenant;
        private final String authToken;
        private String statusUrl;
        private String recordingUrl;
        private String flowUrl;
        private String inboundFlow;

        private Builder(Tenant tenant, String authToken) {
            this.voice = Voice.of(Objects.requireNonNull(tenant, "tenant"));
            this.tenant = tenant.id();
            Objects.requireNonNull(authToken, "authToken");
            if (!authToken.matches("[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("authToken must be a Twilio auth token (32 hex digits), was a value"
                        + " of " + authToken.length() + " characters (not shown)");
            }
            this.authToken = authToken;
        }

        /** The status callback URL exactly as Twilio was given it (scheme, host, port, path and query). */
        public Builder statusUrl(String url) {
            this.statusUrl = concrete("statusUrl", url);
            return this;
        }

        /**
         * The recording status callback URL exactly as Twilio was given it (the provider's
         * {@linkplain TwilioVoiceProvider.Builder#recordingStatusCallbackUrl recordingStatusCallbackUrl} for this
         * tenant), where the host mounts {@link TwilioVoiceCallbacks#recording}.
         */
        public Builder recordingUrl(String url) {
            this.recordingUrl = concrete("recordingUrl", url);
            return this;
        }

        /**
         * The flow URL exactly as Twilio was given it, for this tenant: the provider's {@code flowUrl} with the
         * tenant's id in place of {@code {tenant}}, or the voice URL of the tenant's numbers.
         */
        public Builder flowUrl(String url) {
            this.flowUrl = concrete("flowUrl", url);
            return this;
        }

        /**
         * The flow that answers a request naming none: an inbound call to one of the tenant's numbers, whose voice
         * URL is the flow URL.
         *
         * @throws IllegalArgumentException when the module has no flow of that name
         */
        public Builder inboundFlow(String name) {
            Objects.requireNonNull(name, "inboundFlow");
            if (voice.flow(name).isEmpty()) {
                throw new IllegalArgumentException("inboundFlow must be a flow of the VoiceModule, was '" + name + "'");
            }
            this.inboundFlow = name;
            return this;
        }

        private static String concrete(String field, String url) {
            if (TwilioUrls.template(field, url).contains(TwilioUrls.TENANT)) {
                throw new IllegalArgumentException(field + " must be this tenant's URL, its id in place of "
                        + TwilioUrls.TENANT + ", was '" + Redaction.url(url) + "'");
            }
            return url;
        }

        /**
         * The handlers; the builder may be used again.
         *
         * @throws IllegalStateException when no URL is set
         */
        public TwilioVoiceCallbacks build() {
            if (statusUrl == null && flowUrl == null && recordingUrl == null) {
                throw new IllegalStateException("set the statusUrl, the recordingUrl, the flowUrl, or several");
            }
            return new TwilioVoiceCallbacks(this);
        }
    }
}
