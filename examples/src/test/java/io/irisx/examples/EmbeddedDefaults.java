package io.irisx.examples;

import io.irisx.core.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded defaults' data directory as a README block that calls {@code Irisx.builder()} without a database gets
 * it: {@code ./irisx-data} in the tests' working directory, which the examples' pom puts under {@code target/}. Not
 * thread-safe: the tests that use it run one at a time.
 */
final class EmbeddedDefaults {

    /** Where {@code Irisx.builder().build()} keeps its H2 database and sealing key in these tests. */
    static final Path DIRECTORY = Path.of("irisx-data").toAbsolutePath();

    private EmbeddedDefaults() {
    }

    /** Deletes what an earlier run left in {@link #DIRECTORY}, so a block starts on an empty database. */
    static void clean() {
        if (!DIRECTORY.toString().contains("/target/")) {
            throw new IllegalStateException("the examples' tests run in a directory under target/ (see the examples' "
                    + "pom), so that deleting " + DIRECTORY + " deletes nothing of anyone's; run them with Maven");
        }
        if (!Files.exists(DIRECTORY)) {
            return;
        }
        try (Stream<Path> files = Files.walk(DIRECTORY)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + DIRECTORY + " failed", e);
        }
    }

    /**
     * A pool of its own on the embedded database, opened with the URL {@code Irisx.builder().build()} opens it with:
     * in one JVM, H2 shares one database between both, as a host's own code and IRISX share a host's database.
     */
    static Database database() {
        return Database.connect("jdbc:h2:file:" + DIRECTORY.resolve("irisx")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0", null, null, 2);
    }
}
