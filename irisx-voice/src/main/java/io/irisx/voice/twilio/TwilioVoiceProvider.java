package io.irisx.voice.twilio;

import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.secret.Redaction;
import io.irisx.voice.internal.VoiceSdk;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.spi.VoiceProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The Twilio voice provider, placing each call with one {@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json} to
 * Twilio's REST API through the official Twilio SDK ({@code Call.creator}), and hanging up and redirecting calls with
 * {@code POST …/Calls/{CallSid}.json} ({@code Call.updater}); thread-safe, built once with
 * {@link #builder(String, String)} and shared.
 *
 * <p>The create form carries {@code To}, {@code From}, {@code Url} (with {@code Method=POST}), {@code Timeout} (the
 * ring timeout, seconds), {@code TimeLimit} (seconds), {@code StatusCallback} with {@code StatusCallbackMethod=POST}
 * and every {@code StatusCallbackEvent} ({@code initiated}, {@code ringing}, {@code answered}, {@code completed}),
 * {@code Record=true} with {@code RecordingChannels} ({@code mono} or {@code dual}) for a recorded call (and, with a
 * {@linkplain Builder#recordingStatusCallbackUrl recording status callback URL}, {@code RecordingStatusCallback},
 * {@code RecordingStatusCallbackMethod=POST} and {@code RecordingStatusCallbackEvent} {@code completed absent}), and
 * {@code MachineDetection} ({@code Enable} or {@code DetectMessageEnd}). A call running a flow is given the
 * {@linkplain Builder#flowUrl flow URL} for its tenant, with {@code ?flow=<name>}: the URL at which the host mounts
 * {@link TwilioVoiceCallbacks#flow}. A call running a URL is given that URL. Its statuses go to the call's own status
 * callback, else to the provider's {@linkplain Builder#statusCallbackUrl default}, where the host mounts
 * {@link TwilioVoiceCallbacks#status}. A hang-up posts {@code Status=completed}, which ends a ringing call and an
 * answered one alike; a redirect posts the flow URL of the new flow as {@code Url}.
 *
 * <p>It authenticates with HTTP Basic, as the account SID and its auth token or, better in production because a key
 * can be revoked alone, as an API key ({@link Builder#apiKey(String, String)}). The receipt holds the call SID
 * ({@code CA…}) and Twilio's status ({@code queued}).
 *
 * <p>Twilio's Calls API takes no idempotency key: a call placed again after a timeout may ring twice. The provider
 * therefore makes each request exactly once — neither the SDK's retries of 5xx answers nor HTTP-level retries are
 * used — and the worker decides: a try without an answer holds the call for this provider, as a possible duplicate.
 *
 * <p>Errors: Twilio answers {@code {"code", "message", "more_info", "status"}}. HTTP 400, 401, 403 and 404 are
 * permanent, and so are, under any status, the codes no retry cures: 20003 (authentication), 20404 (not found), 21201,
 * 21211, 21214, 21217 (no, invalid, unreachable or invalid-looking To), 21205 (invalid Url), 21210, 21212, 21213 (an
 * unverified, invalid or missing caller id), 21215 and 21216 (the account may not call that number), 21219 (trial
 * account, unverified To), 21220 (the call is not in progress). HTTP 408, 429 (code 20429) and 5xx (20500, 20503),
 * timeouts and failed connections are retryable. The exception names Twilio's code, message and {@code more_info} link,
 * the HTTP status, and the {@code Twilio-Request-Id} header.
 */
public final class TwilioVoiceProvider implements VoiceProvider {

    static final String NAME = "twilio";
    static final String DEFAULT_BASE_URL = "https://api.twilio.com";
    /** What this provider loads from the Twilio SDK and the jars it brings: Apache HttpClient 5. */
    private static final List<String> SDK_CLASSES = List.of("com.twilio.http.TwilioRestClient",
            "com.twilio.http.NetworkHttpClient", "com.twilio.rest.api.v2010.account.Call",
            "org.apache.hc.core5.http.HttpHost", "org.apache.hc.client5.http.impl.classic.HttpClientBuilder");

    private final String accountSid;
    private final String apiKeySid;
    private final HttpUrl baseUrl;
    private final Duration timeout;
    private final String flowUrl;
    private final String statusCallbackUrl;
    private final String recordingStatusCallbackUrl;
    private final TwilioCalls calls;

    private TwilioVoiceProvider(Builder builder) {
        this.accountSid = builder.accountSid;
        this.apiKeySid = builder.apiKeySid;
        this.baseUrl = builder.baseUrl;
        this.timeout = builder.timeout;
        this.flowUrl = builder.flowUrl;
        this.statusCallbackUrl = builder.statusCallbackUrl;
        this.recordingStatusCallbackUrl = builder.recordingStatusCallbackUrl;
        this.calls = new TwilioCalls(accountSid, builder.authToken, apiKeySid, builder.apiKeySecret, baseUrl, timeout);
    }

    /**
     * A builder for a provider that authenticates as {@code accountSid} with its {@code authToken}, both from the
     * Twilio Console.
     *
     * @throws IllegalArgumentException when the SID is not {@code AC} and 32 hex digits, or the token not 32 hex
     *     digits (the token is never shown)
     * @throws IllegalStateException when the Twilio SDK is not on the class path, naming the artifact to add
     */
    public static Builder builder(String accountSid, String authToken) {
        VoiceSdk.require(NAME, "twilio", SDK_CLASSES);
        return new Builder(accountSid, authToken);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CallReceipt place(OutgoingCall call) {
        Objects.requireNonNull(call, "call");
        URI url = uri(call.flow().map(flow -> flowUrl(call.tenant(), flow, call))
                .orElseGet(() -> call.url().orElseThrow()), call);
        Optional<URI> statusCallback = call.statusCallback()
                .or(() -> Optional.ofNullable(statusCallbackUrl).map(t -> TwilioUrls.resolve(t, call.tenant())))
                .map(callback -> uri(callback, call));
        Optional<URI> recordingCallback = Optional.ofNullable(recordingStatusCallbackUrl)
                .map(t -> uri(TwilioUrls.resolve(t, call.tenant()), call));
        return calls.place(call, url, statusCallback, recordingCallback);
    }

    @Override
    public CallReceipt hangup(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        return calls.hangup(call.providerCallId());
    }

    @Override
    public CallReceipt redirect(ProviderCall call, String flow) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(flow, "flow");
        if (flowUrl == null) {
            throw new ProviderException(NAME, 0, null, false, "call " + call.id() + " cannot be redirected to flow "
                    + flow + ": this Twilio provider has no flowUrl; set it with TwilioVoiceProvider.builder(…)"
                    + ".flowUrl(…)");
        }
        return calls.redirect(call.providerCallId(), URI.create(TwilioUrls.flow(TwilioUrls.resolve(flowUrl,
                call.tenant()), flow, null, 1)));
    }

    /** Closes the provider's connections. */
    @Override
    public void close() {
        calls.close();
    }

    @Override
    public String toString() {
        return "TwilioVoiceProvider[accountSid=" + accountSid + ", auth=" + (apiKeySid == null ? "auth token"
                : "api key " + apiKeySid) + ", baseUrl=" + baseUrl + ", timeout=" + timeout + ", flowUrl="
                + (flowUrl == null ? "none" : Redaction.url(flowUrl)) + "]";
    }

    private String flowUrl(TenantId tenant, String flow, OutgoingCall call) {
        if (flowUrl == null) {
            throw new ProviderException(NAME, 0, null, false, call + " runs flow " + flow + ", but this Twilio"
                    + " provider has no flowUrl; set it with TwilioVoiceProvider.builder(…).flowUrl(…)");
        }
        return TwilioUrls.flow(TwilioUrls.resolve(flowUrl, tenant), flow, null, 1);
    }

    private static URI uri(String url, OutgoingCall call) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(NAME, 0, null, false, "cannot place " + call + " with Twilio: a URL is not a"
                    + " URI (" + e.getMessage() + ")", e);
        }
    }

    /** Builds a {@link TwilioVoiceProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {

        private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
        private static final Pattern API_KEY_SID = Pattern.compile("SK[0-9a-fA-F]{32}");
        private static final Pattern AUTH_TOKEN = Pattern.compile("[0-9a-fA-F]{32}");

        private final String accountSid;
        private final String authToken;
        private String apiKeySid;
        private String apiKeySecret;
        private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL + "/");
        private Duration timeout = Duration.ofSeconds(30);
        private String flowUrl;
        private String statusCallbackUrl;
        private String recordingStatusCallbackUrl;

        private Builder(String accountSid, String authToken) {
            this.accountSid = sid("accountSid", "AC", ACCOUNT_SID, accountSid);
            Objects.requireNonNull(authToken, "authToken");
            if (!AUTH_TOKEN.matcher(authToken).matches()) {
                throw new IllegalArgumentException("authToken must be a Twilio auth token (32 hex digits), was a value "
                        + "of " + authToken.length() + " characters (not shown)");
            }
            this.authToken = authToken;
        }

        /**
         * Authenticates with an API key instead of the auth token, as Twilio recommends in production: the key SID
         * ({@code SK…}) and its secret, shown once when the key is created. Requests still go to the account's path.
         *
         * @throws IllegalArgumentException when the key SID is not {@code SK} and 32 hex digits, or the secret is
         *     blank or holds spaces or non-ASCII characters (the secret is never shown)
         */
        public Builder apiKey(String keySid, String secret) {
            String sid = sid("keySid", "SK", API_KEY_SID, keySid);
            Objects.requireNonNull(secret, "secret");
            if (secret.isBlank() || secret.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("secret must be a Twilio API key secret (printable ASCII, no"
                        + " spaces), was a value of " + secret.length() + " characters (not shown)");
            }
            this.apiKeySecret = secret;
            this.apiKeySid = sid;
            return this;
        }

        /**
         * Where to connect instead of {@code https://api.twilio.com}, e.g. a local test server; the requests stay
         * those the SDK makes for Twilio, paths and {@code Host} header included.
         *
         * @throws IllegalArgumentException when it is not an http(s) URL without path, user, query or fragment
         */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            HttpUrl url = HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
            if (url == null || url.query() != null || url.fragment() != null || !url.username().isEmpty()
                    || !url.encodedPath().equals("/")) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL without user, path, query or"
                        + " fragment (Twilio's paths are fixed: /2010-04-01/Accounts/…), was "
                        + Redaction.url(baseUrl));
            }
            this.baseUrl = url;
            return this;
        }

        /**
         * How long to wait to connect, and then for each part of the answer; 30 seconds by default.
         *
         * @throws IllegalArgumentException when it is not positive or longer than ten minutes
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("timeout must be positive and at most 10 minutes, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The URL at which the host mounts {@link TwilioVoiceCallbacks#flow}, which Twilio fetches when a call running
         * a flow is answered, with {@code {tenant}} where the tenant's id goes (e.g.
         * {@code https://hooks.acme.example/voice/{tenant}/twilio}). Required for calls that run a flow.
         *
         * @throws IllegalArgumentException when it is not an http(s) URL with a host, no fragment, of at most 1,024
         *     characters
         */
        public Builder flowUrl(String template) {
            this.flowUrl = TwilioUrls.template("flowUrl", template);
            return this;
        }

        /**
         * The URL at which the host mounts {@link TwilioVoiceCallbacks#status}, where Twilio reports the statuses of a
         * call that names no status callback of its own, with {@code {tenant}} where the tenant's id goes. Without it,
         * such a call's statuses stay as the provider's answer left them.
         *
         * @throws IllegalArgumentException when it is not an http(s) URL with a host, no fragment, of at most 1,024
         *     characters
         */
        public Builder statusCallbackUrl(String template) {
            this.statusCallbackUrl = TwilioUrls.template("statusCallbackUrl", template);
            return this;
        }

        /**
         * The URL at which the host mounts {@link TwilioVoiceCallbacks#recording}, where Twilio reports the recording
         * of a recorded call ({@code RecordingStatusCallback}, with {@code RecordingStatusCallbackMethod=POST} and the
         * events {@code completed} and {@code absent}), with {@code {tenant}} where the tenant's id goes. Without it,
         * recordings are not reported to IRISX.
         *
         * @throws IllegalArgumentException when it is not an http(s) URL with a host, no fragment, of at most 1,024
         *     characters
         */
        public Builder recordingStatusCallbackUrl(String template) {
            this.recordingStatusCallbackUrl = TwilioUrls.template("recordingStatusCallbackUrl", template);
            return this;
        }

        /** A provider with these settings; the builder may be used again. */
        public TwilioVoiceProvider build() {
            return new TwilioVoiceProvider(this);
        }

        /** Checks a SID; shows it only when it has the expected prefix, so that a misplaced secret is not shown. */
        private static String sid(String field, String prefix, Pattern pattern, String sid) {
            Objects.requireNonNull(sid, field);
            if (!pattern.matcher(sid).matches()) {
                String shown = sid.startsWith(prefix) ? "'" + sid + "'"
                        : "a value of " + sid.length() + " characters not starting with " + prefix + " (not shown)";
                throw new IllegalArgumentException(field + " must be a Twilio SID: " + prefix
                        + " and 32 hex digits, was " + shown);
            }
            return sid;
        }
    }
}
