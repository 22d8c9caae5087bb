package io.irisx.webhooks.internal;

import io.irisx.core.IrisxValidationException;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Refuses every request that is not https, for an https-only {@code SsrfPolicy}; thread-safe (stateless). It catches
 * endpoints registered before the policy became https-only.
 */
public final class HttpsOnlyInterceptor implements Interceptor {

    /** Proceeds with an https request; fails any other with an I/O error caused by an IrisxValidationException. */
    @Override
    public Response intercept(Chain chain) throws IOException {
        if (!chain.request().url().isHttps()) {
            var refused = new IrisxValidationException("url", chain.request().url().redact(),
                    "must use https: the SSRF policy refuses plain http");
            throw new IOException(refused.getMessage(), refused);
        }
        return chain.proceed(chain.request());
    }
}
