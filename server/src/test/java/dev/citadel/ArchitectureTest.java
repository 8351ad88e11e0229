package dev.citadel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/** Banned APIs (STYLE.md): what must never appear in production code, and the few sanctioned exceptions. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.citadel")
            // the offline audit verifier and the CLI are separate command-line programs, not server code
            .that(com.tngtech.archunit.base.DescribedPredicate.not(
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage("dev.citadel.auditverifier..",
                            "dev.citadel.cli..")));

    @Test
    void noJavaDeserialization() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
                .because("Java deserialization of untrusted data is never used").check(CLASSES);
    }

    @Test
    void noStandardOutputExceptTheConsoleAnnouncer() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.citadel.platform.web.ConsoleAnnouncer")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .because("logs go through SLF4J; only the start-up announcement prints to the console").check(CLASSES);
    }

    @Test
    void noPredictableRandomness() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .because("security code uses SecureRandom").check(CLASSES);
    }

    @Test
    void rawCryptographyStaysInTheCryptoFeature() {
        noClasses().that().resideOutsideOfPackage("dev.citadel.crypto..")
                .should().dependOnClassesThat().resideInAPackage("javax.crypto..")
                .because("encryption is written once, in crypto").check(CLASSES);
    }

    @Test
    void noStringConcatenatedSqlThroughJdbcTemplateOutsideRepositories() {
        // the one exception: migration 23's DDL names a constraint read from the catalogue (an
        // identifier cannot be a bind parameter; the name is checked against a strict pattern first)
        noClasses().that().doNotHaveFullyQualifiedName("dev.citadel.platform.db.AuditEventIdNotUnique")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.sql.Statement")
                .because("all SQL is parameterised through JdbcClient").check(CLASSES);
    }

    @Test
    void onlyTheStorageFeatureTouchesTheObjectStoreSoEveryBlobIsEncrypted() {
        noClasses().that().resideOutsideOfPackages("dev.citadel.storage..", "dev.citadel.backup..")
                .should().dependOnClassesThat().areAssignableTo(dev.citadel.storage.BlobStore.class)
                .because("features store blobs only through EncryptedBlobs, which encrypts before writing; backups copy "
                        + "that ciphertext as it is and write only files they encrypted themselves").check(CLASSES);
    }

    @Test
    void onlyTheCryptoFeatureSeesKeyEncryptionKeys() {
        noClasses().that().resideOutsideOfPackage("dev.citadel.crypto..")
                .should().dependOnClassesThat().areAssignableTo(dev.citadel.crypto.KekProvider.class)
                .because("keysets are wrapped in one place").check(CLASSES);
    }

    @Test
    void controllersLiveInWebPackages() {
        classes().that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                .and().doNotHaveSimpleName("ProblemErrorController")
                .should().resideInAPackage("..web..").check(CLASSES);
    }
}
