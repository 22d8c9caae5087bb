package io.irisx.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route of the app is called by some test and answers it with a success: the routes Spring MVC's
 * {@link RequestMappingHandlerMapping} holds against those {@link RouteRecorder} saw succeed. It runs after every
 * other test class of the run ({@code @Order(Integer.MAX_VALUE)} with the class orderer of
 * {@code junit-platform.properties}; Surefire runs the module's classes in one JVM), so it belongs to a run of the
 * whole module; alone, it finds every route uncalled.
 */
@Order(Integer.MAX_VALUE)
class RouteCoverageTest extends RunningApp {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void every_route_of_the_app_answered_some_test_with_a_success() {
        Set<String> routes = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (method.getBeanType().getPackageName().equals(ReferenceApp.class.getPackageName())) {
                routes.addAll(OpenApiDocumentTest.operations(info));
            }
        });
        Set<String> uncalled = new TreeSet<>(routes);
        uncalled.removeAll(RouteRecorder.called());

        assertThat(routes).as("the app's routes").hasSizeGreaterThan(80);
        assertThat(uncalled).as("routes no test of this run called with a success (%d of %d called)",
                routes.size() - uncalled.size(), routes.size()).isEmpty();
    }
}
