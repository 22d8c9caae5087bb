package io.irisx.reference;

import io.irisx.core.AuthenticationException;
import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.tenant.ApiKey;
import io.irisx.core.tenant.ApiScope;
import io.irisx.core.tenant.Authentication;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Authenticates every request to {@code /v1/**} by its {@code Authorization: Bearer irx_…} header with
 * {@code irisx.apiKeys().authenticate} (or a customer portal's {@code irxp_…} token, {@link PortalTokens}; or the
 * admin token with an {@value #TENANT_HEADER} header naming a registered tenant, which acts for that tenant with every
 * scope: the admin console's credential), and checks the route's {@link RequiresScope}: a missing, malformed, unknown,
 * revoked or expired key is a 401, a missing scope a 403 (both problem details, from {@link Problems}). The
 * authentication is kept in the request for {@link CallerTenantResolver}. Thread-safe.
 */
@Component
final class ApiKeyInterceptor implements HandlerInterceptor {

    static final String AUTHENTICATION = ApiKeyInterceptor.class.getName() + ".authentication";

    /** The header naming the tenant an admin-token request acts for. */
    static final String TENANT_HEADER = "Irisx-Tenant";

    private final Irisx irisx;
    private final PortalTokens portalTokens;
    private final AdminInterceptor admin;

    ApiKeyInterceptor(Irisx irisx, PortalTokens portalTokens, AdminInterceptor admin) {
        this.irisx = irisx;
        this.portalTokens = portalTokens;
        this.admin = admin;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        String key = bearer(request).orElseThrow(AuthenticationException::new);
        Authentication authentication;
        if (PortalTokens.isPortalToken(key)) {
            authentication = portalTokens.authenticate(key);
        } else if (request.getHeader(TENANT_HEADER) != null && admin.isAdminToken(key)) {
            // An unknown tenant is a 404 (not a fresh tenant): the operator acts only for registered ones.
            TenantId tenant = irisx.tenants().get(TenantId.of(request.getHeader(TENANT_HEADER))).id();
            authentication = new Authentication(irisx.tenant(tenant), "admin", ApiKey.Mode.LIVE,
                    EnumSet.allOf(ApiScope.class));
        } else {
            authentication = irisx.apiKeys().authenticate(key);
        }
        authentication.require(scope(method, request));
        request.setAttribute(AUTHENTICATION, authentication);
        return true;
    }

    private static ApiScope scope(HandlerMethod method, HttpServletRequest request) {
        RequiresScope scope = method.getMethodAnnotation(RequiresScope.class);
        if (scope != null) {
            return scope.value();
        }
        if (method.hasMethodAnnotation(ChannelScope.class)) {
            Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
            String channel = variables instanceof Map<?, ?> map ? (String) map.get("channel") : null;
            return channelScope(Paging.enumValue(Channel.class, "channel", channel));
        }
        throw new IllegalStateException("route " + request.getRequestURI() + " declares no scope");
    }

    /** The scope that works a channel's messages. */
    static ApiScope channelScope(Channel channel) {
        return switch (channel) {
            case EMAIL -> ApiScope.EMAIL_SEND;
            case SMS -> ApiScope.SMS_SEND;
            case VOICE -> ApiScope.CALLS_WRITE;
            case WEBHOOKS -> ApiScope.WEBHOOKS_MANAGE;
        };
    }

    /** The token of a request's {@code Authorization: Bearer <token>} header, if it has one. */
    static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() || token.toLowerCase(Locale.ROOT).equals("null") ? Optional.empty() : Optional.of(token);
    }
}
