package io.irisx.webhooks.delivery;

import io.irisx.core.IrisxValidationException;
import io.irisx.webhooks.internal.ResponseBodies;
import io.irisx.webhooks.internal.RetryAfterShield;
import io.irisx.webhooks.signing.WebhookHeaders;
import io.irisx.webhooks.ssrf.BlockedAddressException;
import io.irisx.webhooks.ssrf.SsrfGuard;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one signed webhook to one endpoint and says what came of it; thread-safe, meant to be built once and shared
 * by every delivery worker, and {@link AutoCloseable}.
 *
 * <p>Each {@link #deliver(WebhookRequest)} POSTs the request's exact body bytes as {@code application/json}, with
 * the three Standard Webhooks headers ({@code webhook-id} as the request gives it, {@code webhook-timestamp} the
 * clock's now, {@code webhook-signature} from the request's signer) and the endpoint's custom headers. It blocks the
 * calling thread for at most the {@linkplain Builder#callTimeout(Duration) call timeout}, and never throws for
 * network trouble: every outcome is an {@link AttemptResult}. Whether and when to try again is the caller's: the
 * result says whether a retry can help ({@link AttemptResult#retryable()}) and how long the endpoint asked to wait
 * ({@link AttemptResult#retryAfter()}).
 *
 * <p>All deliveries share one OkHttp client set up by the {@link SsrfGuard}: addresses are checked at every
 * delivery, redirects are not followed (a redirect is a failed attempt, and its target was never validated), and
 * OkHttp retries nothing on its own, so one call is one attempt.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient client;
    private final boolean ownsClient;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration callTimeout;
    private final Duration retryAfterCap;
    private final int maxResponseBody;
    private final String userAgent;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WebhookDispatcher(Builder builder) {
        SsrfGuard guard = builder.ssrfGuard != null ? builder.ssrfGuard : SsrfGuard.create(SsrfPolicy.defaults());
        this.ownsClient = builder.client == null;
        OkHttpClient.Builder http = ownsClient ? new OkHttpClient.Builder() : builder.client.newBuilder();
        // Read and write timeouts as long as the call's, so the one total limit decides every slow endpoint.
        this.client = guard.configure(http)
                .connectTimeout(builder.connectTimeout)
                .callTimeout(builder.callTimeout)
                .readTimeout(builder.callTimeout)
                .writeTimeout(builder.callTimeout)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .addNetworkInterceptor(new RetryAfterShield())
                .build();
        this.clock = builder.clock;
        this.connectTimeout = builder.connectTimeout;
        this.callTimeout = builder.callTimeout;
        this.retryAfterCap = builder.retryAfterCap;
        this.maxResponseBody = builder.maxResponseBody;
        this.userAgent = builder.userAgent;
    }

    /** A dispatcher with the defaults: see {@link Builder}. */
    public static WebhookDispatcher create() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Signs and POSTs one webhook, and classifies the outcome.
     *
     * @return the outcome; never an exception for a network failure, a timeout or a refused address
     * @throws IllegalStateException when the dispatcher is closed
     * @throws IllegalArgumentException when the signer refuses the request's webhook id (see
     *     {@link io.irisx.webhooks.signing.WebhookSigner#sign(String, long, byte[])})
     */
    public AttemptResult deliver(WebhookRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed.get()) {
            throw new IllegalStateException("this WebhookDispatcher is closed; build a new one to deliver webhooks");
        }
        byte[] body = request.body();
        WebhookHeaders signed = request.signer().sign(request.webhookId(), clock.instant(), body);
        Request http = httpRequest(request, signed, body);
        Map<String, String> sent = sentHeaders(request, http);
        Call call = client.newCall(http);
        long start = System.nanoTime();
        OptionalInt status = OptionalInt.empty();
        try (Response response = call.execute()) {
            status = OptionalInt.of(response.code());
            String responseBody = ResponseBodies.read(response.body().source(), maxResponseBody);
            return classify(response, responseBody, since(start)).withRequestHeaders(sent);
        } catch (IOException e) {
            return failure(e, status, since(start)).withRequestHeaders(sent);
        }
    }

    /**
     * The headers {@code http} carries, as an attempt keeps them: the endpoint's own headers with their values left
     * out ({@link AttemptResult#NOT_KEPT}), as they may hold credentials.
     */
    private static Map<String, String> sentHeaders(WebhookRequest request, Request http) {
        Map<String, String> sent = new HashMap<>();
        for (String name : http.headers().names()) {
            sent.put(name, http.header(name));
        }
        MediaType type = http.body() == null ? null : http.body().contentType();
        if (type != null) {
            sent.put("Content-Type", type.toString());
        }
        request.headers().keySet().stream().filter(name -> !WebhookRequest.isReserved(name))
                .forEach(name -> sent.put(name, AttemptResult.NOT_KEPT));
        return sent;
    }

    private Request httpRequest(WebhookRequest request, WebhookHeaders signed, byte[] body) {
        Request.Builder http = new Request.Builder().url(request.url()).post(new OneShotBody(body));
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            if (WebhookRequest.isReserved(header.getKey())) {
                LOG.debug("Custom header '{}' of webhook {} not sent: the dispatcher sets it", header.getKey(),
                        request.webhookId());
            } else {
                http.header(header.getKey(), header.getValue());
            }
        }
        return http.header(WebhookHeaders.ID, signed.id())
                .header(WebhookHeaders.TIMESTAMP, Long.toString(signed.timestamp()))
                .header(WebhookHeaders.SIGNATURE, signed.signature())
                .header("User-Agent", userAgent)
                .build();
    }

    private AttemptResult classify(Response response, String body, Duration latency) {
        int code = response.code();
        OptionalInt status = OptionalInt.of(code);
        if (code >= 200 && code < 300) {
            return new AttemptResult(AttemptResult.Kind.SUCCEEDED, status, latency, body, Optional.empty(),
                    Optional.empty());
        }
        if (code == 410) {
            return new AttemptResult(AttemptResult.Kind.GONE, status, latency, body, Optional.of("HTTP 410 Gone"),
                    Optional.empty());
        }
        String error;
        if (code >= 300 && code < 400) {
            String location = response.header("Location");
            error = location == null
                    ? "redirect not followed (HTTP " + code + ", no Location)"
                    : "redirect to " + location + " not followed (HTTP " + code + ")";
        } else {
            error = "HTTP " + code;
        }
        return new AttemptResult(AttemptResult.Kind.FAILED, status, latency, body, Optional.of(error),
                retryAfter(response));
    }

    private Optional<Duration> retryAfter(Response response) {
        int code = response.code();
        String header = RetryAfterShield.retryAfter(response);
        if (header == null || !(code == 429 || code == 502 || code == 503 || code == 504)) {
            return Optional.empty();
        }
        return RetryAfterHeader.parse(header, clock.instant(), retryAfterCap);
    }

    private AttemptResult failure(IOException e, OptionalInt status, Duration latency) {
        Optional<BlockedAddressException> blocked = BlockedAddressException.findIn(e);
        Optional<IrisxValidationException> refusedUrl = validationCause(e);
        if (blocked.isPresent() || refusedUrl.isPresent()) {
            String reason = blocked.isPresent() ? blocked.get().getMessage() : refusedUrl.get().getMessage();
            return new AttemptResult(AttemptResult.Kind.BLOCKED, status, latency, "", Optional.of(reason),
                    Optional.empty());
        }
        String error = describe(e);
        LOG.debug("Webhook attempt failed: {}", error);
        return new AttemptResult(AttemptResult.Kind.FAILED, status, latency, "", Optional.of(error), Optional.empty());
    }

    private String describe(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SocketTimeoutException && message.toLowerCase(Locale.ROOT).contains("connect")) {
            return "connect timeout after " + format(connectTimeout);
        }
        if (e instanceof InterruptedIOException) {
            return "timeout after " + format(callTimeout);
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof UnknownHostException) {
            return "DNS failure: " + message;
        }
        if (e instanceof SSLException) {
            return "TLS failure: " + message;
        }
        if (e instanceof SocketException && message.toLowerCase(Locale.ROOT).contains("reset")) {
            return "connection reset";
        }
        return "I/O failure: " + message;
    }

    private static Optional<IrisxValidationException> validationCause(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof IrisxValidationException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * The body, marked one-shot so that OkHttp never sends it a second time on its own (a 408 or 421 follow-up):
     * one call is one attempt.
     */
    private static final class OneShotBody extends RequestBody {
        private final byte[] bytes;

        OneShotBody(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public MediaType contentType() {
            return JSON;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(bytes);
        }
    }

    /** {@code 15s}, or {@code 300ms} when not whole seconds. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /**
     * Stops the client's threads and closes its idle connections, when this dispatcher built the client; a client
     * given to {@link Builder#client(OkHttpClient)} is left running, as it belongs to the caller. Later deliveries
     * throw; closing again does nothing.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "WebhookDispatcher[connectTimeout=" + format(connectTimeout) + ", callTimeout=" + format(callTimeout)
                + ", retryAfterCap=" + retryAfterCap + ", maxResponseBody=" + maxResponseBody + "]";
    }

    /**
     * Builds a {@link WebhookDispatcher}; each setter checks its value at once and names a bad one. Not thread-safe;
     * {@link #build()} leaves it as it was, so it can build again.
     */
    public static final class Builder {
        /** The default connect timeout: 5 s. */
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        /** The default total time of one attempt: 15 s. */
        public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(15);
        /** The default longest {@code Retry-After} honoured: 1 h. */
        public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofHours(1);
        /** The default number of response body bytes kept: 20 KiB. */
        public static final int DEFAULT_MAX_RESPONSE_BODY = 20 * 1024;
        /** The default {@code User-Agent}. */
        public static final String DEFAULT_USER_AGENT = "IRISX-Webhooks/1";

        private SsrfGuard ssrfGuard;
        private OkHttpClient client;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration retryAfterCap = DEFAULT_RETRY_AFTER_CAP;
        private int maxResponseBody = DEFAULT_MAX_RESPONSE_BODY;
        private String userAgent = DEFAULT_USER_AGENT;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The guard that checks every address; {@code SsrfGuard.create(SsrfPolicy.defaults())} unless set. */
        public Builder ssrfGuard(SsrfGuard ssrfGuard) {
            this.ssrfGuard = Objects.requireNonNull(ssrfGuard, "ssrfGuard");
            return this;
        }

        /**
         * A client of the host's whose connection pool and threads to share; the dispatcher derives its own settings
         * from it (guard, timeouts, no redirects, no retries) and never closes it. Unless set, the dispatcher builds
         * and owns its client.
         */
        public Builder client(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** How long connecting may take; from 1 ms to 5 min, 5 s unless set. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = checkTimeout(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long one attempt may take in all, from connecting to reading the response; from 1 ms to 5 min, 15 s
         * unless set.
         */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = checkTimeout(callTimeout, "callTimeout");
            return this;
        }

        /** The longest {@code Retry-After} honoured; longer ones are cut to it. Not negative; 1 h unless set. */
        public Builder retryAfterCap(Duration retryAfterCap) {
            Objects.requireNonNull(retryAfterCap, "retryAfterCap");
            if (retryAfterCap.isNegative()) {
                throw new IllegalArgumentException("retryAfterCap must not be negative, was " + retryAfterCap);
            }
            this.retryAfterCap = retryAfterCap;
            return this;
        }

        /** How many bytes of a response body to keep in the result; from 0 to 1 MiB, 20 KiB unless set. */
        public Builder maxResponseBody(int maxResponseBody) {
            if (maxResponseBody < 0 || maxResponseBody > 1024 * 1024) {
                throw new IllegalArgumentException("maxResponseBody must be between 0 and 1048576 bytes, was "
                        + maxResponseBody);
            }
            this.maxResponseBody = maxResponseBody;
            return this;
        }

        /** The {@code User-Agent} header; printable ASCII, {@value #DEFAULT_USER_AGENT} unless set. */
        public Builder userAgent(String userAgent) {
            Objects.requireNonNull(userAgent, "userAgent");
            if (userAgent.isBlank() || !userAgent.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
                throw new IllegalArgumentException("userAgent must be non-blank printable ASCII, was '" + userAgent
                        + "'");
            }
            this.userAgent = userAgent;
            return this;
        }

        /** The clock that gives each webhook's timestamp and dates a {@code Retry-After}; the system's unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A dispatcher with these settings. */
        public WebhookDispatcher build() {
            return new WebhookDispatcher(this);
        }

        private static Duration checkTimeout(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(name + " must be between 1 ms and 5 min, was " + timeout);
            }
            return timeout;
        }
    }
}
