package dev.citadel.platform.access;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Reads the verified principal of the current request. */
public final class Principals {

    private Principals() {}

    public static Optional<CitadelPrincipal> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof CitadelPrincipal principal
                ? Optional.of(principal) : Optional.empty();
    }

    /** The audit actor of the current request: the principal, or {@code anonymous}. */
    public static String currentActor() {
        return current().map(CitadelPrincipal::actor).orElse("anonymous");
    }
}
