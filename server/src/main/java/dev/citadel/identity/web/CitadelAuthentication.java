package dev.citadel.identity.web;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.access.Role;

/** The Spring Security view of a verified principal; the raw token is not kept. */
final class CitadelAuthentication extends AbstractAuthenticationToken {

    private final CitadelPrincipal principal;

    CitadelAuthentication(CitadelPrincipal principal) {
        super(authorities(principal));
        this.principal = principal;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(CitadelPrincipal principal) {
        return principal.platformAdmin() ? List.of(new SimpleGrantedAuthority(Role.PLATFORM_ADMIN.wireName())) : List.of();
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public CitadelPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal.actor();
    }
}
