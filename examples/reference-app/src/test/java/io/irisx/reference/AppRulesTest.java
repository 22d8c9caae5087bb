package io.irisx.reference;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The reference app is a host like any other: it reaches IRISX through its API alone, never an internal package. */
class AppRulesTest {

    @Test
    void the_app_uses_no_internal_package_of_irisx() {
        JavaClasses app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ReferenceApp.class.getPackageName());

        noClasses().should().dependOnClassesThat().resideInAPackage("io.irisx..internal..").check(app);
    }
}
