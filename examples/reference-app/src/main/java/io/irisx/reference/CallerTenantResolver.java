package io.irisx.reference;

import io.irisx.core.Tenant;
import io.irisx.core.tenant.Authentication;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a {@code /v1} handler's {@link Tenant} parameter the tenant of the request's API key, in the key's mode (a
 * test key's sends go only to test providers): a route can reach no other tenant's data. Thread-safe.
 */
@Component
final class CallerTenantResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Tenant.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
            WebDataBinderFactory binders) {
        Object authentication = request.getAttribute(ApiKeyInterceptor.AUTHENTICATION,
                RequestAttributes.SCOPE_REQUEST);
        if (!(authentication instanceof Authentication caller)) {
            throw new IllegalStateException("no API key authenticated this request: a Tenant parameter belongs to /v1");
        }
        return caller.tenant();
    }
}
