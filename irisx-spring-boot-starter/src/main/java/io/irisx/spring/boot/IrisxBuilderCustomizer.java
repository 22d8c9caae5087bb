package io.irisx.spring.boot;

import io.irisx.core.Irisx;

/**
 * Changes the runtime's builder after the starter has applied the {@code irisx.*} properties, the application's
 * DataSource, outbox, modules and meter registry, and before it builds the runtime: for what properties do not
 * cover, such as an event sink or a clock. Every bean of this type is applied, in {@code @Order}; those without an
 * order come last. Implementations are called once, on the thread that creates the runtime.
 *
 * <pre>
 * &#64;Bean
 * IrisxBuilderCustomizer auditSink(AuditLog audit) {
 *     return builder -&gt; builder.eventSink(audit::record);
 * }
 * </pre>
 *
 * <p>Install modules as {@link io.irisx.core.spi.IrisxModule} beans rather than here: the starter installs those,
 * and a module of a type already installed is refused.
 */
@FunctionalInterface
public interface IrisxBuilderCustomizer {

    /** Changes {@code builder}; it is built when every customizer has run. */
    void customize(Irisx.Builder builder);
}
