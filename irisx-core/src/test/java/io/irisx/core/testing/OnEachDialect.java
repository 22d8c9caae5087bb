package io.irisx.core.testing;

import io.irisx.core.store.Database;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the annotated test class once on each database IRISX supports, H2 then PostgreSQL: a JUnit
 * {@link ParameterizedClass} whose argument is the {@link Database.Dialect}, taken in a field annotated
 * {@code @Parameter} and given to {@link TestDatabases#of}. Each test is reported as {@code method()[1]} on H2 and
 * {@code method()[2]} on PostgreSQL, so a failure names its dialect.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "on {0}")
@EnumSource(Database.Dialect.class)
public @interface OnEachDialect {
}
