/**
 * IRISX for Spring Boot: {@link io.irisx.spring.boot.IrisxAutoConfiguration} builds the runtime as a bean from the
 * {@code irisx.*} properties ({@link io.irisx.spring.boot.IrisxProperties}) with the modules on the class path;
 * {@link io.irisx.spring.boot.IrisxBuilderCustomizer} beans change it before it is built;
 * {@link io.irisx.spring.boot.IrisxHealthIndicator} reports its health to Actuator.
 */
package io.irisx.spring.boot;
