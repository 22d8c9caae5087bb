package io.irisx.spring.boot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of the house for the starter, which the examples' rules do not see (Spring is not on their class path):
 * it builds the runtime through the modules' API alone, and its own API holds no internal type.
 */
class StarterRulesTest {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.irisx.spring");

    @Test
    void the_starter_uses_no_modules_internal_packages() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.irisx.core..internal..", "io.irisx.queue..internal..",
                        "io.irisx.webhooks..internal..", "io.irisx.messaging..internal..")
                .check(STARTER);
    }

    @Test
    void no_public_method_of_the_starters_api_takes_or_returns_an_internal_type() {
        DescribedPredicate<JavaClass> internal = JavaClass.Predicates.resideInAPackage("io.irisx..internal..");
        noMethods().that().arePublic().or().areProtected()
                .and().areDeclaredInClassesThat().resideInAPackage("io.irisx.spring.boot")
                .should().haveRawReturnType(internal)
                .orShould().haveRawParameterTypes(DescribedPredicate.describe("an internal type",
                        (List<JavaClass> types) -> types.stream().anyMatch(internal)))
                .check(STARTER);
    }
}
