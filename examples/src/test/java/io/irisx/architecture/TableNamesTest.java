package io.irisx.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.store.Database;
import io.irisx.core.testing.SchemaObjects;
import io.irisx.core.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IRISX lives beside the host's own tables: every table, index and key constraint that the migrations of every
 * module on this classpath (the examples module depends on all of them) create is named {@code irisx_…}, on H2 in
 * PostgreSQL mode and on PostgreSQL.
 */
class TableNamesTest {

    private static final String MIGRATIONS = "db/irisx/";

    @Test
    void the_modules_with_migrations_are_found_on_the_class_path() {
        assertThat(modulesWithMigrations()).contains("core", "webhooks", "messaging", "voice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void every_table_index_and_constraint_of_every_module_is_named_irisx_(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            for (String module : modulesWithMigrations()) {
                assertThat(database.migrate(module)).as(module).isPositive();
            }

            SchemaObjects schema = SchemaObjects.of(database);
            assertThat(schema.tables()).contains("irisx_outbox", "irisx_email_messages", "irisx_sms_messages",
                    "irisx_webhook_endpoints", "irisx_calls", "irisx_schema_history_core");
            assertThat(schema.indexes()).contains("irisx_email_messages_provider_id",
                    "irisx_webhook_messages_by_endpoint");
            assertThat(schema.all()).allSatisfy(object -> assertThat(object).startsWith("irisx_"));
        }
    }

    /**
     * The modules with migrations on the class path: each {@code db/irisx/<module>} directory, but for the dialects'
     * own ({@code <module>-h2}, {@code <module>-postgresql}); core first, as a runtime migrates it first.
     */
    private static List<String> modulesWithMigrations() {
        Set<String> directories = new TreeSet<>();
        try {
            Enumeration<URL> roots = TableNamesTest.class.getClassLoader().getResources(MIGRATIONS);
            for (URL root : Collections.list(roots)) {
                directories.addAll(directoriesIn(root));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directories.stream()
                .filter(directory -> !directory.endsWith("-h2") && !directory.endsWith("-postgresql"))
                .sorted((a, b) -> a.equals("core") ? -1 : b.equals("core") ? 1 : a.compareTo(b))
                .toList();
    }

    private static Set<String> directoriesIn(URL root) throws IOException {
        Set<String> names = new TreeSet<>();
        if ("jar".equals(root.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            // An uncached copy, which closing cannot take from under the class loader reading the same jar.
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                jar.stream().map(JarEntry::getName)
                        .filter(entry -> entry.startsWith(MIGRATIONS) && entry.length() > MIGRATIONS.length())
                        .map(entry -> entry.substring(MIGRATIONS.length()).split("/")[0])
                        .forEach(names::add);
            }
            return names;
        }
        try (Stream<Path> children = Files.list(Path.of(root.toURI()))) {
            children.filter(Files::isDirectory).map(child -> child.getFileName().toString()).forEach(names::add);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read " + root, e);
        }
        return names;
    }
}
