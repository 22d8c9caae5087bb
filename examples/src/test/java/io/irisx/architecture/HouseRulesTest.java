package io.irisx.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.irisx.architecture.leaky.LeakyApi;
import io.irisx.architecture.leaky.internal.Hidden;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * Each library module, with the IRISX modules it may depend on. Dependencies point down to core; irisx-testing and
     * irisx-testkit are for tests, so no other library depends on them.
     */
    private static final Map<String, List<String>> LIBRARIES = Map.of(
            "core", List.of(),
            "queue", List.of("core"),
            "webhooks", List.of("core"),
            "messaging", List.of("core", "webhooks"),
            "voice", List.of("core"),
            "testing", List.of(),
            "testkit", List.of("core", "webhooks", "messaging", "testing"));

    /**
     * No public or protected method or constructor, and no public field, of a class the API shows (public, in a public
     * class if nested, outside the internal packages) names a type of an internal package: as a parameter, in its
     * return or field type (type arguments included), or in its throws clause. A host could not use such a member
     * without reaching into the internals the other rules forbid.
     */
    private static final ArchRule API_NAMES_NO_INTERNAL_TYPE = members()
            .that(DescribedPredicate.describe("are visible outside IRISX", HouseRulesTest::isApiMember))
            .should(new ArchCondition<JavaMember>("name no type of an internal package") {
                @Override
                public void check(JavaMember member, ConditionEvents events) {
                    signatureTypes(member).stream().filter(HouseRulesTest::isInternal).distinct().forEach(type ->
                            events.add(SimpleConditionEvent.violated(member, member.getFullName() + " names "
                                    + type.getName() + " " + member.getSourceCodeLocation())));
                }
            });

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // IRISX's own test helpers, on the test class path as test jars.
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
        assertThat(classes.containPackage("io.irisx.voice")).as("the rules see irisx-voice").isTrue();
        assertThat(classes.stream().map(JavaClass::getName)).noneMatch(name -> name.endsWith("Test"));
    }

    @Test
    void the_rules_see_the_published_contract_kits_and_their_helpers() {
        assertThat(classes.stream().map(JavaClass::getName)).contains("io.irisx.testkit.outbox.OutboxContractKit",
                "io.irisx.testkit.email.EmailSenderContractKit", "io.irisx.testing.MutableClock");
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
    void no_api_signature_names_an_internal_type() {
        API_NAMES_NO_INTERNAL_TYPE.check(classes);
    }

    @Test
    void the_api_rule_catches_an_internal_type_in_a_parameter_a_type_argument_a_throws_clause_or_a_field() {
        JavaClasses leaky = new ClassFileImporter().importPackages(LeakyApi.class.getPackageName());

        assertThatThrownBy(() -> API_NAMES_NO_INTERNAL_TYPE.check(leaky)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("LeakyApi.<init>(" + Hidden.class.getName() + ")")
                .hasMessageContaining("LeakyApi.hidden()")
                .hasMessageContaining("LeakyApi.fail()")
                .hasMessageContaining("LeakyApi.HIDDEN")
                .hasMessageContaining("LeakyApi$Nested.take(")
                .hasMessageNotContaining("packagePrivate")
                .hasMessageNotContaining("LeakyApi$Secret");
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

    private static boolean isApiMember(JavaMember member) {
        Set<JavaModifier> modifiers = member.getModifiers();
        boolean visible = modifiers.contains(JavaModifier.PUBLIC)
                || member instanceof JavaCodeUnit && modifiers.contains(JavaModifier.PROTECTED);
        return visible && !modifiers.contains(JavaModifier.SYNTHETIC) && isApiClass(member.getOwner());
    }

    private static boolean isApiClass(JavaClass type) {
        return type.getModifiers().contains(JavaModifier.PUBLIC) && !isInternal(type)
                && type.getEnclosingClass().map(HouseRulesTest::isApiClass).orElse(true);
    }

    private static boolean isInternal(JavaClass type) {
        return (type.getPackageName() + ".").contains(".internal.");
    }

    /** What {@code member} names: its field type, or its return, parameter and thrown types, type arguments too. */
    private static List<JavaClass> signatureTypes(JavaMember member) {
        if (member instanceof JavaField field) {
            return List.copyOf(field.getType().getAllInvolvedRawTypes());
        }
        JavaCodeUnit codeUnit = (JavaCodeUnit) member;
        Stream<JavaType> declared = Stream.concat(Stream.of(codeUnit.getReturnType()),
                codeUnit.getParameterTypes().stream());
        return Stream.concat(declared.flatMap(type -> type.getAllInvolvedRawTypes().stream()),
                codeUnit.getThrowsClause().getTypes().stream()).toList();
    }
}
