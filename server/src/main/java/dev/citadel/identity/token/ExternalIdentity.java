package dev.citadel.identity.token;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Role;

/** A verified token from a trusted external provider, with the tenant roles its claims map to. */
public record ExternalIdentity(String provider, String subject, String jti, Instant expiresAt,
        Map<TenantId, Set<Role>> grants, boolean multiFactor) {}
