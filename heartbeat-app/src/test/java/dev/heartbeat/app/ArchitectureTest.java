package dev.heartbeat.app;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module boundaries (docs/design.md), checked on the production classes of every module: core
 * sees only the JDK and its packages form no cycle; adapters never see each other; web sees core and
 * its HTTP stack only; nothing but app sees app; core has no hidden clock or randomness.
 */
class ArchitectureTest {

    static final String CORE = "dev.heartbeat.core..";
    static final String KAFKA = "dev.heartbeat.kafka..";
    static final String POSTGRES = "dev.heartbeat.postgres..";
    static final String WEB = "dev.heartbeat.web..";
    static final String APP = "dev.heartbeat.app..";

    static JavaClasses production;

    /** Production classes only: no test classes, no test jars. */
    static final ImportOption PRODUCTION_ONLY = (Location location) ->
            !location.contains("/test-classes/") && !location.contains("-tests.jar");

    @BeforeAll
    static void importEveryModule() {
        production = new ClassFileImporter().withImportOption(PRODUCTION_ONLY).importPackages("dev.heartbeat");
    }

    @Test
    void theRulesSeeEveryModule() {
        for (String module : List.of("core", "kafka", "postgres", "web", "app")) {
            assertTrue(production.stream().anyMatch(c -> c.getPackageName().startsWith("dev.heartbeat." + module)),
                    "no production class of module " + module + " was imported");
        }
    }

    @Test
    void coreDependsOnTheJdkOnly() {
        classes().that().resideInAPackage(CORE)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE)
                .because("heartbeat-core is a plain-Java library with no dependency but the JDK")
                .check(production);
    }

    @Test
    void appPackagesAreFreeOfCycles() {
        slices().matching("dev.heartbeat.app.(*)..")
                .should().beFreeOfCycles()
                .because("the commands sit on top of runtime, observability, alerting and embedded servers, "
                        + "which build on the options, never the other way round")
                .check(production);
    }

    @Test
    void corePackagesAreFreeOfCycles() {
        slices().matching("dev.heartbeat.core.(*)..")
                .should().beFreeOfCycles()
                .because("each package of the core builds on the ones below it (reading, validation, alert, stream, "
                        + "query, port, then the use cases and adapters), never on one above")
                .check(production);
    }

    @Test
    void adaptersNeverDependOnEachOther() {
        rule(KAFKA, POSTGRES, WEB, APP).check(production);
        rule(POSTGRES, KAFKA, WEB, APP).check(production);
        rule(WEB, KAFKA, POSTGRES, APP).check(production);
    }

    private static ArchRule rule(String module, String... forbidden) {
        return noClasses().that().resideInAPackage(module)
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("adapters meet only in the composition root (heartbeat-app)");
    }

    @Test
    void webDependsOnCoreAndItsHttpStackOnly() {
        classes().that().resideInAPackage(WEB)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.annotation..", CORE, WEB,
                        "io.javalin..", "com.fasterxml.jackson..", "org.slf4j..", "org.eclipse.jetty..", "kotlin..",
                        "jakarta.servlet..", "org.jetbrains.annotations..",
                        // Argon2PasswordHasher only: the password hash comes from a maintained library
                        "org.springframework.security.crypto.argon2..")
                .because("the dashboard sees core ports only, never an adapter")
                .check(production);
    }

    @Test
    void nothingButTheAppSeesTheApp() {
        noClasses().that().resideOutsideOfPackage(APP)
                .should().dependOnClassesThat().resideInAPackage(APP)
                .check(production);
    }

    @Test
    void coreHasNoHiddenClockOrRandomness() {
        noClasses().that().resideInAPackage(CORE)
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callConstructor(Random.class)
                .orShould().callConstructor(Random.class, long.class)
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethod(ThreadLocalRandom.class, "current")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .orShould().callMethod(LocalDate.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .because("core takes its clock and its randomness as parameters, so it is deterministic under test")
                .check(production);
    }

    @Test
    void portsAreInterfacesInCorePort() {
        classes().that().resideInAPackage("dev.heartbeat.core.port")
                .and().areTopLevelClasses()
                .should().beInterfaces()
                .check(production);
    }

    @Test
    void coreCarriesNoFrameworkAnnotations() {
        noClasses().that().resideInAPackage(CORE)
                .should().beAnnotatedWith(DescribedPredicate.describe("an annotation from outside the JDK",
                        (JavaAnnotation<?> annotation) -> !annotation.getRawType().getPackageName().startsWith("java.")))
                .check(production);
    }
}
