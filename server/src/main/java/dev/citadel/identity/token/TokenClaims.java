package dev.citadel.identity.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.TenantId;

/**
 * The verified content of a Citadel access token.
 *
 * @param subject  the principal
 * @param clientId RFC 9068 {@code client_id}: the service account's client id, or {@code citadel-login}
 * @param amr      authentication methods ({@code pwd}, {@code otp}, {@code client_secret})
 * @param tenant   a service account's tenant
 * @param generation the principal's token generation when issued; a later disable or rotation bumps it
 * @param boundCertificate RFC 8705 {@code cnf.x5t#S256}: the client certificate every request with
 *                 this token must present on its connection
 */
public record TokenClaims(PrincipalId subject, String jti, Instant issuedAt, Instant expiresAt, String clientId,
        List<String> amr, Optional<TenantId> tenant, int generation, Optional<CertificateThumbprint> boundCertificate) {

    public boolean multiFactor() {
        return amr.contains("otp");
    }
}
