package dev.citadel.web;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.access.Principals;

/** The signed-in name every console page shows in its header (empty on the sign-in page). */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    @ModelAttribute("user")
    String user() {
        return currentUser();
    }

    /** For pages rendered by exception handlers, which model attribute methods do not reach. */
    static String currentUser() {
        return Principals.current().map(CitadelPrincipal::name).orElse("");
    }
}
