package dev.citadel.platform.access;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.PrincipalKind;
import dev.citadel.platform.TenantId;

/**
 * The verified caller of a request. Built only by the identity feature from a verified token.
 *
 * @param id             stable identifier (audit actor)
 * @param name           username, service-account name or external subject (for display, never for checks)
 * @param platformAdmin  whether {@code platform-admin} is in effect (MFA-backed)
 * @param mfa            whether this session was authenticated with a second factor
 * @param homeTenant     the tenant a service account belongs to
 * @param externalGrants tenant roles asserted by a trusted external identity provider
 * @param tokenId        the access token's {@code jti}
 */
public record CitadelPrincipal(
        PrincipalId id,
        String name,
        boolean platformAdmin,
        boolean mfa,
        Optional<TenantId> homeTenant,
        Map<TenantId, Set<Role>> externalGrants,
        String tokenId) {

    public CitadelPrincipal {
        externalGrants = Map.copyOf(externalGrants);
    }

    public PrincipalKind kind() {
        return id.kind();
    }

    /** The audit actor string, e.g. {@code user:3f2c…}. */
    public String actor() {
        return id.qualified();
    }
}
