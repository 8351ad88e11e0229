package dev.citadel;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The feature packages respect their declared dependencies (STYLE.md order) and expose only their
 * root package. The module documentation in docs/modules/ is regenerated on every run, so an
 * architecture change shows in the diff.
 */
class ModularityTests {

    /** The audit verifier and the CLI are their own Maven modules (no Spring), not features of the server. */
    private static final ApplicationModules MODULES = ApplicationModules.of(CitadelApplication.class,
            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage("dev.citadel.auditverifier..",
                    "dev.citadel.cli.."));

    @Test
    void featuresOnlyUseWhatTheyDeclare() {
        MODULES.verify();
    }

    @Test
    void writesModuleDocumentation() throws java.io.IOException {
        java.nio.file.Path folder = java.nio.file.Path.of("..", "docs", "modules");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(folder.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        try (var files = java.nio.file.Files.list(folder)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".puml")).toList()) {
                sortRelations(file);
            }
        }
    }

    /** The Documenter emits relations in hash order; sorting them keeps the committed files stable. */
    private static void sortRelations(java.nio.file.Path file) throws java.io.IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
        java.util.List<String> relations = lines.stream().filter(l -> l.startsWith("Rel(")).sorted().toList();
        java.util.Iterator<String> sorted = relations.iterator();
        java.util.List<String> result = lines.stream().map(l -> l.startsWith("Rel(") ? sorted.next() : l).toList();
        java.nio.file.Files.write(file, result);
    }
}
