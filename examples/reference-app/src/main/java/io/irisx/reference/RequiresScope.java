package io.irisx.reference;

import io.irisx.core.tenant.ApiScope;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope an API key needs for a route of {@code /v1}; {@link ApiKeyInterceptor} checks it before the handler
 * runs (403 when the key lacks it). A route of {@code /v1} without it is refused for every key.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface RequiresScope {

    /** The scope. */
    ApiScope value();
}
