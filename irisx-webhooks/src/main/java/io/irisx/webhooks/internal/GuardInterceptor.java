package io.irisx.webhooks.internal;

import io.irisx.core.net.IpLiterals;
import io.irisx.core.IrisxException;
import io.irisx.core.IrisxValidationException;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Checks each request's URL with the SSRF guard's {@link GuardChecks} before OkHttp connects; thread-safe.
 *
 * <p>It refuses plain http under an https-only policy, and judges hosts written as IP addresses, which OkHttp never
 * hands to its {@code Dns}: they are judged as browsers read them, and spellings Java reads otherwise are refused, so
 * a delivery refuses exactly what registration refuses. Names are left to the guard's {@code Dns}.
 */
public final class GuardInterceptor implements Interceptor {

    private final GuardChecks guard;

    public GuardInterceptor(GuardChecks guard) {
        this.guard = guard;
    }

    /** Proceeds with an acceptable request; fails any other with an I/O error caused by the refusal. */
    @Override
    public Response intercept(Chain chain) throws IOException {
        HttpUrl url = chain.request().url();
        if (guard.httpsOnly() && !url.isHttps()) {
            var refused = new IrisxValidationException("url", url.redact(), "must use https: the SSRF policy refuses plain http");
            throw new IOException(refused.getMessage(), refused);
        }
        if (IpLiterals.isLiteral(url.host())) {
            try {
                guard.resolve(url.host());
            } catch (IrisxException blocked) {
                throw new IOException(blocked.getMessage(), blocked);
            }
        }
        return chain.proceed(chain.request());
    }
}
