package io.irisx.voice.twilio;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.time.Duration;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The Twilio SDK's own HTTP client (Apache HttpClient 5), set up for IRISX: each request is made once, within the
 * provider's timeout, optionally to another host than Twilio's; thread-safe.
 *
 * <p>The SDK builds every request itself, for {@code https://api.twilio.com}: method, path, headers, form body and
 * Basic authorization. Pointing it at another base URL changes only where the connection goes (a route), never the
 * request, so a local test server sees exactly what Twilio would see, {@code Host: api.twilio.com} included.
 *
 * <p>The SDK's error exceptions carry the status from Twilio's JSON body, not the HTTP answer, and no headers; its
 * {@code getLastResponse()} is one field shared by every thread. So the answer to the calling thread's last request
 * is kept here per thread, for the provider to read when the SDK throws.
 */
final class TwilioHttpClient extends NetworkHttpClient {

    /** The response header in which Twilio names its request id ({@code RQ…}). */
    static final String REQUEST_ID = "Twilio-Request-Id";
    private static final int MAX_CONNECTIONS = 100;
    private static final int MAX_CONNECTIONS_PER_ROUTE = 20;

    /**
     * Twilio's answer to a request: its HTTP status, its request id ({@code null} when absent) and its body.
     *
     * @param status the HTTP status
     * @param requestId the {@code Twilio-Request-Id} header, or {@code null}
     * @param body the body as text, empty when there was none
     */
    record Answer(int status, String requestId, String body) {
    }

    private final ThreadLocal<Answer> lastAnswer = new ThreadLocal<>();

    /**
     * @param timeout to connect, to wait for a pooled connection, and between bytes of the answer
     * @param target where connections go instead of the host the SDK names, or {@code null} for Twilio itself
     */
    TwilioHttpClient(Duration timeout, HttpHost target) {
        super(apacheClient(timeout, target));
    }

    private static HttpClientBuilder apacheClient(Duration timeout, HttpHost target) {
        Timeout limit = Timeout.of(timeout);
        // The SDK sets its own RequestConfig (a 30.5 s connect timeout) on every request; this handler runs first in
        // the execution chain, before a connection is leased or opened, and puts the provider's limits back.
        RequestConfig limits = RequestConfig.custom()
                .setConnectionRequestTimeout(limit)
                .setResponseTimeout(limit)
                .setRedirectsEnabled(false)
                .build();
        HttpClientBuilder builder = HttpClientBuilder.create()
                .useSystemProperties()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(limit)
                                .setSocketTimeout(limit)
                                .build())
                        .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(limit).setSoKeepAlive(true).build())
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS_PER_ROUTE)
                        .build())
                .setDefaultRequestConfig(limits)
                .addExecInterceptorFirst("irisx-limits", (request, scope, chain) -> {
                    scope.clientContext.setRequestConfig(limits);
                    return chain.proceed(request, scope);
                })
                // A retry is the outbox's decision: Twilio takes no idempotency key for calls.
                .disableAutomaticRetries();
        if (target != null) {
            HttpRoute route = new HttpRoute(target);
            builder.setRoutePlanner((host, context) -> route);
        }
        return builder;
    }

    /** Makes the request once: the SDK's default retries 5xx answers three times, 100 ms apart. */
    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    /** Makes the request once, whatever retries are asked for. */
    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        lastAnswer.remove();
        Response response = super.makeRequest(request);
        // Read once here and handed on as text: the SDK's Response cannot give its stream twice.
        String body = response.getContent();
        lastAnswer.set(new Answer(response.getStatusCode(), header(response.getHeaders()), body));
        return new Response(body, response.getStatusCode(), response.getHeaders());
    }

    /** Twilio's answer to the calling thread's last request, or {@code null} when it did not answer. */
    Answer lastAnswer() {
        return lastAnswer.get();
    }

    /** Forgets the calling thread's last answer. */
    void forget() {
        lastAnswer.remove();
    }

    /** Closes the connections. */
    void close() {
        client.close(CloseMode.GRACEFUL);
    }

    private static String header(Header[] headers) {
        if (headers != null) {
            for (Header header : headers) {
                if (REQUEST_ID.equalsIgnoreCase(header.getName())) {
                    return header.getValue();
                }
            }
        }
        return null;
    }
}
