package io.irisx.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An H2 file database that acknowledges commits before writing them is refused, whichever way it is given. */
class DatabaseDurabilityTest {

    @TempDir
    Path data;

    @Test
    void anH2UrlThatDelaysWritesIsRefusedNamingTheSettingAndTheFix() {
        String url = "jdbc:h2:file:" + data.resolve("delayed") + ";MODE=PostgreSQL";
        assertThatThrownBy(() -> Database.connect(url, "sa", "", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WRITE_DELAY=500")
                .hasMessageContaining("add ;WRITE_DELAY=0 to its JDBC URL");
    }

    @Test
    void aHostDataSourceThatDelaysWritesIsRefused() {
        JdbcDataSource host = new JdbcDataSource();
        host.setURL("jdbc:h2:file:" + data.resolve("host") + ";WRITE_DELAY=200");
        assertThatThrownBy(() -> Database.of(host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delays its writes by 200 ms");
    }

    @Test
    void anH2FileDatabaseWritingAtCommitAndAnInMemoryOneAreTaken() {
        try (Database file = Database.connect("jdbc:h2:file:" + data.resolve("durable") + ";WRITE_DELAY=0", "sa", "", 2);
                Database memory = Database.connect("jdbc:h2:mem:durability;DB_CLOSE_DELAY=-1", "sa", "", 2)) {
            assertThat(file.dialect()).isEqualTo(Database.Dialect.H2);
            assertThat(memory.dialect()).isEqualTo(Database.Dialect.H2);
        }
    }
}
