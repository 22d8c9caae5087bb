package io.irisx.reference;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses the paging parameters ({@code cursor}, {@code limit}) on a route that answers a complete list (a JSON
 * array, such as the templates, a template's versions or the event types) rather than a page, whose IRISX call takes
 * no {@link io.irisx.core.PageRequest}: a 400 problem naming the parameter, rather than a limit silently ignored.
 * Thread-safe.
 */
final class CompleteListInterceptor implements HandlerInterceptor {

    private static final List<String> PAGING = List.of("cursor", "limit");

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method
                && Collection.class.isAssignableFrom(method.getReturnType().getParameterType())) {
            for (String parameter : PAGING) {
                String value = request.getParameter(parameter);
                if (value != null && !reads(method, parameter)) {
                    throw new InvalidValueException(parameter, value, parameter + " is not taken by this route: it"
                            + " answers the complete list at once, not a page");
                }
            }
        }
        return true;
    }

    /** Whether the route reads {@code parameter} itself, as a route of its own making may. */
    private static boolean reads(HandlerMethod method, String parameter) {
        for (MethodParameter declared : method.getMethodParameters()) {
            RequestParam param = declared.getParameterAnnotation(RequestParam.class);
            String name = param == null ? null : !param.name().isEmpty() ? param.name() : declared.getParameterName();
            if (parameter.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
