package io.irisx.reference;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a route of {@code /v1} whose scope is that of the channel named by its {@code {channel}} path variable:
 * {@code email:send}, {@code sms:send}, {@code calls:write} or {@code webhooks:manage}. {@link ApiKeyInterceptor}
 * maps the channel to its scope and checks it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface ChannelScope {
}
