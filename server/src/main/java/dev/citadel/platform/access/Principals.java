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

    /**
     * The audit actor: the request's principal, {@code anonymous} for an unauthenticated request,
     * {@code system} for work outside any request (start-up, jobs, schedules).
     */
    public static String currentActor() {
        return current().map(CitadelPrincipal::actor).orElseGet(() ->
                org.springframework.web.context.request.RequestContextHolder.getRequestAttributes() == null
                        ? "system" : "anonymous");
    }
}
