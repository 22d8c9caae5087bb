package io.irisx.webhooks.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Hides a 503's {@code Retry-After} from OkHttp's follow-up logic, keeping it under another name for the dispatcher;
 * thread-safe.
 *
 * <p>OkHttp (5.x, {@code RetryAndFollowUpInterceptor}) re-sends a request answered 503 with {@code Retry-After: 0}
 * whatever {@code retryOnConnectionFailure} says, which would be a second, unrecorded attempt; and it reads the value
 * with {@code Integer.valueOf}, so a receiver answering {@code Retry-After: 99999999999} makes the call throw a
 * {@link NumberFormatException}. As a network interceptor this runs before that logic sees the response.
 */
public final class RetryAfterShield implements Interceptor {

    /** Where the original {@code Retry-After} of a 503 is kept. */
    static final String KEPT = "X-Irisx-Retry-After";

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        String retryAfter = response.header("Retry-After");
        if (response.code() != 503 || retryAfter == null) {
            return response;
        }
        return response.newBuilder().removeHeader("Retry-After").header(KEPT, retryAfter).build();
    }

    /** The response's {@code Retry-After}, wherever the shield put it; {@code null} when there is none. */
    public static String retryAfter(Response response) {
        String kept = response.header(KEPT);
        return kept != null ? kept : response.header("Retry-After");
    }
}
