package io.irisx.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.store.Database;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random settings given to {@link Irisx#builder()}'s setters and to {@link Database#checkJdbcUrl}: each is taken or
 * refused with an {@link IllegalArgumentException} naming the setting, and a password in a refused JDBC URL is never
 * shown.
 */
class RuntimeSettingsFuzzTest {

    private static final List<Class<? extends Throwable>> MISUSE = List.of(IllegalArgumentException.class);

    @Property(tries = 1000)
    void a_jdbc_url_is_taken_or_refused_without_its_password(@ForAll("jdbcUrls") JdbcUrl url) {
        DocumentedFailures.only(() -> assertThat(Database.checkJdbcUrl(url.text())).isEqualTo(url.text()), MISUSE,
                List.of(url.password())).ifPresent(e -> assertThat(e.getMessage()).contains("jdbcUrl"));
        DocumentedFailures.only(() -> Irisx.builder().jdbcUrl(url.text(), "ada", url.password()), MISUSE,
                List.of(url.password()));
    }

    @Property(tries = 1000)
    void pool_size_and_max_lag_are_taken_or_refused_by_name(@ForAll int poolSize, @ForAll long lagMillis) {
        DocumentedFailures.only(() -> Irisx.builder().maxPoolSize(poolSize), MISUSE)
                .ifPresent(e -> assertThat(e.getMessage()).contains("maxPoolSize"));
        DocumentedFailures.only(() -> Irisx.builder().maxLag(Duration.ofMillis(lagMillis)), MISUSE)
                .ifPresent(e -> assertThat(e.getMessage()).contains("maxLag"));
    }

    /** A JDBC URL as given, and the password it holds. */
    record JdbcUrl(String text, String password) {
    }

    @Provide
    Arbitrary<JdbcUrl> jdbcUrls() {
        Arbitrary<String> scheme = FuzzText.around(Arbitraries.of("jdbc:postgresql://", "jdbc:h2:mem:", "jdbc:h2:tcp://",
                "jdbc:mysql://", "jdbc:oracle:thin:@", "jdbc:sqlserver://", "postgresql://", "JDBC:POSTGRESQL://", "",
                "jdbc:", "https://"));
        Arbitrary<String> host = FuzzText.around(Arbitraries.of("db.acme.example:5432/irisx", "localhost/test",
                "[::1]:5432/db", "db"));
        return Combinators.combine(scheme, host, FuzzText.secret(), Arbitraries.integers().between(0, 6))
                .as((s, h, password, form) -> new JdbcUrl(switch (form) {
                    case 0 -> s + "ada:" + password + "@" + h;
                    case 1 -> s + h + "?user=ada&password=" + password;
                    case 2 -> s + h + ";USER=ada;PASSWORD=" + password;
                    case 3 -> s + h + "?sslpassword=" + password + "&ssl=true";
                    case 4 -> s + h + "?PWD=" + password;
                    case 5 -> s + "ada:" + password + "@" + h + "/" + "x".repeat(300);
                    default -> s + h + "?password=" + password + "&" + "y".repeat(300);
                }, password));
    }
}
