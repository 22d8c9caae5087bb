package io.irisx.messaging.email.ses;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link SesEvents.Fetcher#http}: a GET with the JDK's {@link HttpClient}, which checks the server's certificate
 * against the JVM's trust store; redirects are not followed, so what is fetched comes from the host asked; thread-safe.
 * Not API.
 */
final class HttpFetcher implements SesEvents.Fetcher {

    /** The most read from one answer: SNS's certificates and confirmation answers weigh a few KiB. */
    static final int MAX_BYTES = 64 * 1024;

    private final Duration timeout;
    private final HttpClient client;

    HttpFetcher(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public byte[] fetch(URI url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + url);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() < 200 || response.statusCode() > 299) {
                throw new IOException(url + " answered HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException(url + " answered more than " + MAX_BYTES + " bytes");
            }
            return bytes;
        }
    }

    @Override
    public String toString() {
        return "Fetcher.http(" + timeout + ")";
    }
}
