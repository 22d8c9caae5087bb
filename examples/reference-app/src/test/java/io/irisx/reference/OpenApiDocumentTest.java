package io.irisx.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document beside the routes ({@code openapi.yaml}) against the routes the running app serves, as Spring
 * MVC's {@link RequestMappingHandlerMapping} holds them: every route documented, every documented route served,
 * each {@code /v1} route's documented scope the one it checks, and each route's query parameters those it reads.
 */
class OpenApiDocumentTest extends RunningApp {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void every_route_is_documented_and_every_documented_route_is_served() throws IOException {
        Set<String> served = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (method.getBeanType().getPackageName().equals(ReferenceApp.class.getPackageName())) {
                served.addAll(operations(info));
            }
        });

        Set<String> documented = documented().keySet();

        assertThat(served).as("routes the app serves").hasSizeGreaterThan(80);
        assertThat(documented).as("documented but not served").isSubsetOf(served);
        assertThat(served).as("served but not documented").isSubsetOf(documented);
    }

    @Test
    void each_api_route_documents_the_scope_it_checks() throws IOException {
        Map<String, Map<String, Object>> documented = documented();
        mappings.getHandlerMethods().forEach((info, method) -> {
            RequiresScope scope = method.getMethodAnnotation(RequiresScope.class);
            for (String operation : operations(info)) {
                if (!operation.contains(" /v1/")) {
                    continue;
                }
                Object security = documented.get(operation).get("security");
                if (scope != null) {
                    assertThat(security).as(operation).isEqualTo(java.util.List.of(Map.of("apiKey",
                            java.util.List.of(scope.value().wireName()))));
                } else {
                    assertThat(method.hasMethodAnnotation(ChannelScope.class)).as(operation + " checks a scope").isTrue();
                    assertThat(security).as(operation).isEqualTo(java.util.List.of(Map.of("apiKey", java.util.List.of())));
                }
            }
        });
    }

    @Test
    void each_route_documents_the_query_parameters_it_reads() throws IOException {
        Map<String, Map<String, Object>> documented = documented();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (!method.getBeanType().getPackageName().equals(ReferenceApp.class.getPackageName())) {
                return;
            }
            Set<String> read = new TreeSet<>();
            java.lang.reflect.Parameter[] parameters = method.getMethod().getParameters();
            for (java.lang.reflect.Parameter parameter : parameters) {
                RequestParam param = parameter.getAnnotation(RequestParam.class);
                if (param != null) {
                    read.add(param.name().isEmpty() ? parameter.getName() : param.name());
                }
            }
            boolean readsTheRequest = java.util.Arrays.stream(parameters)
                    .anyMatch(parameter -> parameter.getType() == jakarta.servlet.http.HttpServletRequest.class);
            if (read.isEmpty() && readsTheRequest) {
                // A provider's callback, handed whole to IRISX's handler, which reads the parameters the provider
                // documents (Elastic Email's notification is all query parameters).
                return;
            }
            for (String operation : operations(info)) {
                Set<String> query = new TreeSet<>();
                Object declared = documented.get(operation).get("parameters");
                if (declared instanceof java.util.List<?> list) {
                    list.stream().map(Map.class::cast).filter(p -> "query".equals(p.get("in")))
                            .forEach(p -> query.add((String) p.get("name")));
                }
                assertThat(query).as(operation + "'s documented query parameters").isEqualTo(read);
            }
        });
    }

    @Test
    void the_document_is_served_as_openapi_3_1() {
        Answer answer = get("/openapi.yaml", null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/yaml");
        Map<String, Object> document = new Yaml().load(answer.response().body());
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
    }

    /** The operations ("GET /v1/emails") of a mapping. */
    static Set<String> operations(RequestMappingInfo info) {
        Set<String> operations = new TreeSet<>();
        for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
            info.getMethodsCondition().getMethods().forEach(method ->
                    operations.add(method.name() + " " + pattern.getPatternString()));
        }
        return operations;
    }

    /** Each documented operation ("GET /v1/emails") with its OpenAPI object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> documented() throws IOException {
        Map<String, Map<String, Object>> operations = new java.util.TreeMap<>();
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(OpenApiController.DOCUMENT)) {
            Map<String, Object> document = new Yaml().load(in);
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
            paths.forEach((path, item) -> item.forEach((method, operation) -> operations.put(
                    method.toUpperCase(java.util.Locale.ROOT) + " " + path, (Map<String, Object>) operation)));
        }
        return operations;
    }
}
