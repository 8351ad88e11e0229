package dev.citadel.identity.token;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;

import org.springframework.stereotype.Component;

import dev.citadel.identity.IdentityProperties;
import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.PrincipalKind;
import dev.citadel.platform.TenantId;

/**
 * Issues and verifies Citadel's own access tokens: RFC 9068 JWTs ({@code typ: at+jwt}), ES256,
 * 15 minutes, with {@code jti}.
 *
 * <p>Security guarantees (each has a test): only ES256 is accepted, whatever the header claims,
 * so {@code alg: none} in any spelling and HMAC-with-the-public-key fail; the key is chosen only
 * by an exact {@code kid} among Citadel's own keys — {@code jwk}, {@code jku}, {@code x5u},
 * {@code x5c} and {@code crit} headers are refused outright; {@code typ} must be {@code at+jwt}, so
 * an ID token cannot stand in; issuer, audience, {@code exp}, {@code iat}, {@code jti} and
 * {@code sub} are required and checked against the injected clock. Revocation and principal status
 * are checked by the caller ({@code TokenAuthenticator}).
 */
@Component
public class AccessTokens {

    public static final String LOGIN_CLIENT_ID = "citadel-login";
    static final int MAX_TOKEN_LENGTH = 8192;
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern JTI = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final int LOCAL_SKEW_SECONDS = 5;
    static final String X5T_S256 = "x5t#S256";

    private final SigningKeys keys;
    private final Clock clock;
    private final String issuer;
    private final String audience;
    private final long ttlSeconds;
    private final ClockedClaimsVerifier claimsVerifier;

    AccessTokens(SigningKeys keys, Clock clock, IdentityProperties properties, IssuerName issuerName) {
        this.keys = keys;
        this.clock = clock;
        this.issuer = issuerName.value();
        this.audience = properties.audience();
        this.ttlSeconds = properties.accessTokenTtl().toSeconds();
        this.claimsVerifier = new ClockedClaimsVerifier(clock, audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "exp", "iat", "jti", "client_id", "ptype", "gen"), LOCAL_SKEW_SECONDS);
    }

    public String issuer() {
        return issuer;
    }

    public IssuedToken issue(PrincipalId subject, String clientId, List<String> amr, Optional<TenantId> tenant,
            int generation) {
        return issue(subject, clientId, amr, tenant, generation, Optional.empty());
    }

    /**
     * Issues a token; with {@code boundCertificate} it is certificate-bound (RFC 8705 §3): it carries
     * {@code cnf: {"x5t#S256": ...}} and works only on connections presenting that certificate.
     */
    public IssuedToken issue(PrincipalId subject, String clientId, List<String> amr, Optional<TenantId> tenant,
            int generation, Optional<CertificateThumbprint> boundCertificate) {
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(ttlSeconds);
        String jti = UUID.randomUUID().toString().replace("-", "");
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject.value().toString())
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(jti)
                .claim("client_id", clientId)
                .claim("ptype", subject.kind().wireName())
                .claim("amr", amr)
                .claim("gen", generation);
        tenant.ifPresent(t -> claims.claim("tenant", t.value()));
        boundCertificate.ifPresent(thumbprint -> claims.claim("cnf", java.util.Map.of(X5T_S256, thumbprint.value())));
        ECKey key = keys.signingKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT).keyID(key.getKeyID()).build(),
                claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("token signing failed", e);
        }
        return new IssuedToken(jwt.serialize(), jti, expires, ttlSeconds);
    }

    /**
     * Parses a bearer token and refuses every header an attacker could use to choose the key or
     * algorithm. Returns the signed JWT for issuer routing; nothing in it is trusted yet.
     */
    static SignedJWT parseSafely(String raw) throws InvalidTokenException {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("malformed");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(raw);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new InvalidTokenException("unsigned_or_encrypted");
        }
        JWSHeader header = signed.getHeader();
        if (header.getJWK() != null || header.getJWKURL() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null || header.getCriticalParams() != null) {
            throw new InvalidTokenException("forbidden_header");
        }
        if (header.getKeyID() == null || !KID.matcher(header.getKeyID()).matches()) {
            throw new InvalidTokenException("bad_kid");
        }
        return signed;
    }

    /** Verifies a token that names Citadel as issuer. */
    TokenClaims verifyLocal(SignedJWT jwt) throws InvalidTokenException {
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new InvalidTokenException("algorithm");
        }
        if (header.getType() == null || !isAccessTokenType(header.getType().getType())) {
            throw new InvalidTokenException("type");
        }
        ECKey key = keys.verificationKey(header.getKeyID()).orElseThrow(() -> new InvalidTokenException("unknown_kid"));
        try {
            if (!jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                throw new InvalidTokenException("signature");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
            claimsVerifier.verify(claims, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed");
        } catch (BadJWTException e) {
            throw new InvalidTokenException(ClockedClaimsVerifier.reason(e));
        }
        return toClaims(claims);
    }

    private static TokenClaims toClaims(JWTClaimsSet claims) throws InvalidTokenException {
        try {
            String jti = claims.getJWTID();
            if (!JTI.matcher(jti).matches()) {
                throw new InvalidTokenException("bad_jti");
            }
            PrincipalKind kind = PrincipalKind.fromWireName(claims.getStringClaim("ptype"));
            if (kind == PrincipalKind.EXTERNAL) {
                throw new InvalidTokenException("principal_type");
            }
            PrincipalId subject = new PrincipalId(kind, UUID.fromString(claims.getSubject()));
            List<String> amr = claims.getStringListClaim("amr");
            String tenant = claims.getStringClaim("tenant");
            Optional<TenantId> tenantId = Optional.empty();
            if (tenant != null) {
                if (!TenantId.isValidSlug(tenant)) {
                    throw new InvalidTokenException("tenant");
                }
                tenantId = Optional.of(new TenantId(tenant));
            }
            Long generation = claims.getLongClaim("gen");
            if (generation == null) {
                throw new InvalidTokenException("claims");
            }
            return new TokenClaims(subject, jti, claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant(),
                    claims.getStringClaim("client_id"), amr == null ? List.of() : List.copyOf(amr), tenantId,
                    generation.intValue(), boundCertificate(claims));
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidTokenException("claims");
        }
    }

    /** {@code cnf} is absent, or an object whose {@code x5t#S256} is a well-formed thumbprint (nothing else is understood). */
    private static Optional<CertificateThumbprint> boundCertificate(JWTClaimsSet claims)
            throws ParseException, InvalidTokenException {
        if (claims.getClaim("cnf") == null) {
            return Optional.empty();
        }
        java.util.Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
        if (cnf == null || !(cnf.get(X5T_S256) instanceof String thumbprint)) {
            throw new InvalidTokenException("claims");
        }
        return Optional.of(new CertificateThumbprint(thumbprint));
    }

    static boolean isAccessTokenType(String type) {
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.equals("at+jwt") || lower.equals("application/at+jwt");
    }
}
