package io.irisx.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of the house from DESIGN.md, over the production classes of every IRISX module on this classpath (the
 * examples module depends on all of them). A module that joins is covered by adding it to {@link #LIBRARIES}; a
 * rule about a module not yet built holds trivially until it joins.
 */
class HouseRulesTest {

    /** Each library module, with the IRISX modules it may depend on. Dependencies point down to core. */
    private static final Map<String, List<String>> LIBRARIES = Map.of(
            "core", List.of(),
            "queue", List.of("core"),
            "webhooks", List.of("core"),
            "messaging", List.of("core", "webhooks"),
            "voice", List.of("core"));

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // The modules' test kits, on the test class path as test jars.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.irisx");
    }

    static Stream<Arguments> modules() {
        return LIBRARIES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Test
    void the_rules_see_the_production_classes_of_core() {
        assertThat(classes.containPackage("io.irisx.core")).isTrue();
        assertThat(classes.stream().map(JavaClass::getName)).contains("io.irisx.core.Irisx", "io.irisx.core.outbox.Outbox");
        assertThat(classes.stream().map(JavaClass::getName)).noneMatch(name -> name.endsWith("Test"));
    }

    @ParameterizedTest(name = "irisx-{0} depends on no IRISX module but {1}")
    @MethodSource("modules")
    void a_library_depends_only_on_the_modules_below_it(String module, List<String> allowed) {
        String[] forbidden = Stream.concat(LIBRARIES.keySet().stream(), Stream.of("examples", "benchmarks"))
                .filter(other -> !other.equals(module) && !allowed.contains(other))
                .map(other -> "io.irisx." + other + "..")
                .toArray(String[]::new);
        noClasses().that().resideInAPackage("io.irisx." + module + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .allowEmptyShould(true)
                .check(classes);
    }

    @ParameterizedTest(name = "no other module uses irisx-{0}'s internal packages")
    @MethodSource("modules")
    void no_module_uses_another_modules_internals(String module, List<String> allowed) {
        noClasses().that().resideOutsideOfPackage("io.irisx." + module + "..")
                .should().dependOnClassesThat().resideInAPackage("io.irisx." + module + "..internal..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void the_channel_modules_reach_webhooks_only_through_its_verifier() {
        DescribedPredicate<JavaClass> webhooksBeyondTheVerifier = DescribedPredicate.describe(
                "are in irisx-webhooks and are not its Standard Webhooks verifier",
                c -> c.getPackageName().startsWith("io.irisx.webhooks")
                        && !c.getName().substring(c.getPackageName().length() + 1).startsWith("WebhookVerif"));
        noClasses().that().resideInAnyPackage("io.irisx.messaging..", "io.irisx.voice..")
                .should().dependOnClassesThat(webhooksBeyondTheVerifier)
                .allowEmptyShould(true)
                .check(classes);
    }
}
