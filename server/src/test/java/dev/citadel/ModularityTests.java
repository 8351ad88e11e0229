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

    private static final ApplicationModules MODULES = ApplicationModules.of(CitadelApplication.class);

    @Test
    void featuresOnlyUseWhatTheyDeclare() {
        MODULES.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("../docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
