package io.irisx.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The reference app is a host like any other: it reaches IRISX through its API alone, never an internal package. */
class AppRulesTest {

    @Test
    void the_app_uses_no_internal_package_of_irisx() throws Exception {
        // The app's own classes only: its output directory; what they name is known by its package, unresolved.
        ArchConfiguration configuration = ArchConfiguration.get();
        boolean resolving = configuration.resolveMissingDependenciesFromClassPath();
        JavaClasses app;
        try {
            configuration.setResolveMissingDependenciesFromClassPath(false);
            app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(
                    Path.of(ReferenceApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } finally {
            configuration.setResolveMissingDependenciesFromClassPath(resolving);
        }

        assertThat(app.contain(ReferenceApp.class)).isTrue();
        noClasses().should().dependOnClassesThat().resideInAPackage("io.irisx..internal..").check(app);
    }
}
