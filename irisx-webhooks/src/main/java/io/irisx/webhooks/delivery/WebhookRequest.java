package io.irisx.webhooks.delivery;

import io.irisx.webhooks.signing.WebhookHeaders;
import io.irisx.webhooks.signing.WebhookSigner;
import io.irisx.webhooks.signing.WebhookSigningKey;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * One webhook to POST to one endpoint: where, its id, its exact body, how to sign it and the endpoint's own headers;
 * immutable and thread-safe.
 *
 * <p>The {@code webhookId} is the Standard Webhooks {@code webhook-id}: the caller keeps it the same on every retry of
 * the same event to the same endpoint, so receivers can drop duplicates. The body is copied in and out, so the bytes
 * signed are the bytes sent.
 *
 * @param url the endpoint's absolute http(s) URL, as {@link io.irisx.webhooks.ssrf.SsrfGuard#validateUrl} returned it
 * @param webhookId the {@code webhook-id}: printable ASCII without spaces or {@code .}, such as an {@code evt_…} id
 * @param body the exact bytes of the JSON body
 * @param signer signs with the endpoint's current key or keys
 * @param headers the endpoint's custom headers; any named in {@link #RESERVED_HEADERS} is not sent
 */
public record WebhookRequest(String url, String webhookId, byte[] body, WebhookSigner signer,
        Map<String, String> headers) {

    /**
     * Headers the dispatcher sets itself, lower case: a custom header with one of these names (in any case) is
     * skipped, so an endpoint can neither forge the signature headers nor break the request's framing. Endpoint
     * registration should refuse them.
     */
    public static final Set<String> RESERVED_HEADERS = Set.of(WebhookHeaders.ID, WebhookHeaders.TIMESTAMP,
            WebhookHeaders.SIGNATURE, "content-type", "content-length", "content-encoding", "transfer-encoding",
            "host", "connection", "user-agent", "accept-encoding");

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL, or a header name or value is not
     *     valid in HTTP (empty, or holding control or non-ASCII characters)
     */
    public WebhookRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(headers, "headers");
        if (HttpUrl.parse(url) == null) {
            throw new IllegalArgumentException("url must be an absolute http or https URL, was '" + redact(url) + "'");
        }
        if (webhookId.isEmpty()) {
            throw new IllegalArgumentException("webhookId must not be empty");
        }
        headers = Map.copyOf(headers);
        try {
            Headers.of(headers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("headers must be valid HTTP headers: " + e.getMessage(), e);
        }
        body = body.clone();
    }

    /**
     * A request signed with {@code keys}, each adding one signature, in this order.
     *
     * @throws IllegalArgumentException as the canonical constructor, or when there is no key
     */
    public WebhookRequest(String url, String webhookId, byte[] body, List<? extends WebhookSigningKey> keys,
            Map<String, String> headers) {
        this(url, webhookId, body, WebhookSigner.of(Objects.requireNonNull(keys, "keys")), headers);
    }

    /** A copy of the body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Whether a custom header of this name is skipped: its lower-case form is in {@link #RESERVED_HEADERS}. */
    public static boolean isReserved(String headerName) {
        return RESERVED_HEADERS.contains(Objects.requireNonNull(headerName, "headerName").toLowerCase(Locale.ROOT));
    }

    /** Equal when the URL, id, body bytes, signer and headers are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookRequest that && url.equals(that.url) && webhookId.equals(that.webhookId)
                && Arrays.equals(body, that.body) && signer.equals(that.signer) && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, webhookId, Arrays.hashCode(body), signer, headers);
    }

    /** The URL, the id, the body's size and the custom header names; never the body, a header value or a key. */
    @Override
    public String toString() {
        return "WebhookRequest[url=" + redact(url) + ", webhookId=" + webhookId + ", body=" + body.length
                + " bytes, headers=" + headers.keySet() + "]";
    }

    private static String redact(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        return parsed == null ? url.replaceAll("//[^/@]*@", "//***@") : parsed.redact();
    }
}
