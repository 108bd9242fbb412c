package io.cortex.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture, as rules over the compiled main classes of the modules the command line is built from
 * (all but bench; issue 19). A change that breaks one fails here, naming the classes.
 */
class ArchitectureTest {
    private static JavaClasses main;
    /** Each top-level class with the classes nested in it. */
    private static java.util.Map<JavaClass, java.util.List<JavaClass>> nested;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.cortex");
        nested = new java.util.HashMap<>();
        for (JavaClass c : main) {
            nested.computeIfAbsent(topLevel(c), t -> new java.util.ArrayList<>()).add(c);
        }
    }

    @Test
    void theCommandsOfTheCommandLineDoNotDependOnEachOther() {
        classes().that(new DescribedPredicate<JavaClass>("are the command line's commands") {
                    @Override
                    public boolean test(JavaClass c) {
                        return c.getPackageName().equals("io.cortex.deploy.cli") && c.isTopLevelClass() && isCommand(c);
                    }
                })
                .should(new ArchCondition<JavaClass>("not depend on another command") {
                    @Override
                    public void check(JavaClass command, ConditionEvents events) {
                        for (JavaClass c : withNested(command)) {
                            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                                JavaClass target = topLevel(d.getTargetClass());
                                if (!target.equals(command) && target.getPackageName().equals("io.cortex.deploy.cli")
                                        && isCommand(target)) {
                                    events.add(SimpleConditionEvent.violated(command, d.getDescription()));
                                }
                            }
                        }
                    }
                }).check(main);
    }

    @Test
    void theCoreAndTheLedgersPureCodeImportNoFrameworkOrTransport() {
        noClasses().that().resideInAnyPackage("io.cortex.core..", "io.cortex.ledger..")
                .and().resideOutsideOfPackage("io.cortex.ledger.actor..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "io.aeron..", "org.agrona..",
                        "io.grpc..", "com.esotericsoftware..", "com.typesafe..", "scala..")
                .check(main);
    }

    @Test
    void theCoreStandsAlone() {
        noClasses().that().resideInAPackage("io.cortex.core..")
                .should().dependOnClassesThat(new DescribedPredicate<JavaClass>("are Cortex classes outside the core") {
                    @Override
                    public boolean test(JavaClass c) {
                        return c.getPackageName().startsWith("io.cortex.") && !c.getPackageName().startsWith("io.cortex.core");
                    }
                })
                .check(main);
    }

    @Test
    void theLedgersPureCodeReachesOnlyTheCore() {
        noClasses().that().resideInAPackage("io.cortex.ledger..").and().resideOutsideOfPackage("io.cortex.ledger.actor..")
                .should().dependOnClassesThat(new DescribedPredicate<JavaClass>("are Cortex classes outside the core and the ledger's pure code") {
                    @Override
                    public boolean test(JavaClass c) {
                        String p = c.getPackageName();
                        return p.startsWith("io.cortex.") && !p.startsWith("io.cortex.core")
                                && (!p.startsWith("io.cortex.ledger") || p.startsWith("io.cortex.ledger.actor"));
                    }
                })
                .check(main);
    }

    @Test
    void onlyTheLedgersStatePartsWriteTheirOwnFields() {
        classes().that().resideInAPackage("io.cortex.ledger..")
                .should(new ArchCondition<JavaClass>("write no field of another class") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        for (JavaFieldAccess access : c.getFieldAccessesFromSelf()) {
                            if (access.getAccessType() == JavaFieldAccess.AccessType.SET
                                    && !topLevel(access.getTargetOwner()).equals(topLevel(c))) {
                                events.add(SimpleConditionEvent.violated(c, access.getDescription()));
                            }
                        }
                    }
                }).check(main);
    }

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("io.cortex.(**)").should().beFreeOfCycles().check(main);
    }

    /** A verb of the command line, or a class that holds verbs (a picocli command, or commands nested in it). */
    private static boolean isCommand(JavaClass c) {
        return withNested(c).stream().anyMatch(n -> n.isAnnotatedWith(picocli.CommandLine.Command.class));
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }

    private static java.util.List<JavaClass> withNested(JavaClass top) {
        return nested.getOrDefault(top, java.util.List.of());
    }
}
