package io.irisx.reference;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The tests' record of the app's routes they called: each route ({@code "GET /v1/sms/{id}"}, its method and
 * pattern) that answered a test with a success (2xx or 3xx), kept for the whole test JVM across every app the tests
 * start, for {@link RouteCoverageTest}. Registered by the tests' {@code @SpringBootTest}s only. Thread-safe.
 */
@TestConfiguration(proxyBeanMethods = false)
class RouteRecorder implements WebMvcConfigurer {

    private static final Set<String> CALLED = ConcurrentHashMap.newKeySet();

    /** The routes called with success so far, sorted. */
    static Set<String> called() {
        return new TreeSet<>(CALLED);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                    Exception failure) {
                Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                if (handler instanceof HandlerMethod && pattern != null && failure == null
                        && response.getStatus() < 400) {
                    CALLED.add(request.getMethod() + " " + pattern);
                }
            }
        });
    }
}
