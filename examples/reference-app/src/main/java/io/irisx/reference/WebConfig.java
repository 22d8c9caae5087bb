package io.irisx.reference;

import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.irisx.core.TenantId;
import io.irisx.core.tenant.ApiScope;
import java.io.IOException;
import io.irisx.core.id.AttemptId;
import io.irisx.core.id.CallId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.id.RecordingId;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API's wiring: the two guards by path, the refusal of paging parameters by routes that answer a complete list,
 * the caller's tenant as a parameter, IRISX's ids as JSON strings, and the
 * pages of the admin console and the customer portal.
 */
@Configuration(proxyBeanMethods = false)
class WebConfig implements WebMvcConfigurer {

    private final ApiKeyInterceptor apiKeys;
    private final AdminInterceptor admin;
    private final CallerTenantResolver tenants;

    WebConfig(ApiKeyInterceptor apiKeys, AdminInterceptor admin, CallerTenantResolver tenants) {
        this.apiKeys = apiKeys;
        this.admin = admin;
        this.tenants = tenants;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(apiKeys).addPathPatterns("/v1/**");
        registry.addInterceptor(admin).addPathPatterns("/admin/**");
        registry.addInterceptor(new CompleteListInterceptor()).addPathPatterns("/v1/**", "/admin/**");
    }

    /** The admin console and the customer portal: static pages under /console/ and /portal/ (src/main/resources/static). */
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/portal/").setViewName("forward:/portal/index.html");
        registry.addRedirectViewController("/portal", "/portal/");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(tenants);
    }

    /** Each IRISX id is written as its text ({@code "msg_…"}), as the routes take it. */
    @Bean
    SimpleModule irisxIds() {
        SimpleModule ids = new SimpleModule("irisx-ids");
        for (Class<?> type : List.of(TenantId.class, MessageId.class, CallId.class, EndpointId.class, EventId.class,
                AttemptId.class, RecordingId.class)) {
            ids.addSerializer(type, ToStringSerializer.instance);
        }
        ids.addSerializer(ApiScope.class, new StdSerializer<>(ApiScope.class) {
            @Override
            public void serialize(ApiScope scope, JsonGenerator json, SerializerProvider provider) throws IOException {
                json.writeString(scope.wireName());
            }
        });
        return ids;
    }
}
