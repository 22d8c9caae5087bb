package io.irisx.reference;

import io.irisx.core.AuthenticationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards {@code /admin/**} with the configured admin token ({@code app.admin-token}), compared in constant time; a
 * missing or wrong token, or none configured, is a 401. Thread-safe.
 */
@Component
final class AdminInterceptor implements HandlerInterceptor {

    private final byte[] token;

    AdminInterceptor(AppProperties properties) {
        this.token = properties.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        if (!isAdminToken(ApiKeyInterceptor.bearer(request).orElse(""))) {
            throw new AuthenticationException();
        }
        return true;
    }

    /** Whether {@code given} is the admin token (never, when none is configured). */
    boolean isAdminToken(String given) {
        return token.length > 0 && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }
}
