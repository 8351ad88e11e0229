package dev.citadel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.identity.token.SigningKeys;
import dev.citadel.identity.token.IssuerName;
import dev.citadel.identity.token.TokenForge;
import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * Every known way to forge or misuse an access token is refused with 401 {@code auth.invalid_token}
 * and leaves an audit entry naming the reason (RFC 8725, RFC 9068, CVE-2022-21449).
 */
class JwtAttackTest extends IntegrationTest {

    @Autowired
    SigningKeys signingKeys;

    @Autowired
    IssuerName issuerName;

    private TokenForge forge;
    private String validToken;
    private String subject;

    @BeforeEach
    void validTokenOfAScientist() {
        forge = new TokenForge(signingKeys);
        Fixtures.User user = fx.createUser("victim");
        validToken = fx.token(user);
        subject = api.get("/api/v1/users/me", validToken).json().path("id").asString();
    }

    /** An attack: a name and how to turn a valid token (and its context) into the forged one. */
    record Attack(String name, Function<JwtAttackTest, String> forgedFrom) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                attack("alg none", t -> unsigned(t.validToken, "none")),
                attack("alg NONE", t -> unsigned(t.validToken, "NONE")),
                attack("alg nOnE", t -> unsigned(t.validToken, "nOnE")),
                attack("HS256 keyed with the public key (JWK JSON)", t -> hmacWithPublicKey(t, true)),
                attack("HS256 keyed with the public key (DER)", t -> hmacWithPublicKey(t, false)),
                attack("unknown kid", t -> attackerSigned(t, header(JWSAlgorithm.ES256).keyID("unknown-kid-123"))),
                attack("kid with a path", t -> attackerSigned(t, header(JWSAlgorithm.ES256).keyID("../../../../etc/passwd"))),
                attack("kid with SQL", t -> attackerSigned(t, header(JWSAlgorithm.ES256).keyID("x' OR '1'='1"))),
                attack("attacker jwk in header", t -> attackerSignedWithOwnJwk(t)),
                attack("attacker jku in header", t -> attackerSigned(t, header(JWSAlgorithm.ES256).keyID(t.forge.activeKid())
                        .jwkURL(java.net.URI.create("https://attacker.example/jwks.json")))),
                attack("attacker x5u in header", t -> attackerSigned(t, header(JWSAlgorithm.ES256).keyID(t.forge.activeKid())
                        .x509CertURL(java.net.URI.create("https://attacker.example/cert.pem")))),
                attack("expired", t -> t.realSigned(c -> c.expirationTime(t.at(-60)))),
                attack("not yet valid", t -> t.realSigned(c -> c.notBeforeTime(t.at(600)))),
                attack("missing exp", t -> t.realSigned(c -> c.expirationTime(null))),
                attack("wrong issuer", t -> t.realSigned(c -> c.issuer("https://evil.example"))),
                attack("wrong audience", t -> t.realSigned(c -> c.audience("another-api"))),
                attack("missing jti", t -> t.realSigned(c -> c.jwtID(null))),
                attack("tampered payload", t -> tamperedPayload(t.validToken)),
                attack("stripped signature", t -> t.validToken.substring(0, t.validToken.lastIndexOf('.') + 1)),
                attack("ECDSA signature of zeros (CVE-2022-21449)", t -> zeroSignature(t.validToken)),
                attack("ID token used as access token (typ JWT)", t -> t.forge.sign(
                        new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(t.forge.activeKid()).build(),
                        t.claims().build())),
                attack("no typ", t -> t.forge.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(t.forge.activeKid()).build(),
                        t.claims().build())),
                attack("token of a deleted principal", t -> t.realSigned(c -> c.subject(UUID.randomUUID().toString()))),
                attack("cnf that is not an object", t -> t.realSigned(c -> c.claim("cnf", "x5t"))),
                attack("cnf without x5t#S256", t -> t.realSigned(c -> c.claim("cnf",
                        Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiGQA4I")))),
                attack("cnf with a malformed thumbprint", t -> t.realSigned(c -> c.claim("cnf",
                        Map.of("x5t#S256", "../../etc/passwd")))),
                attack("garbage", t -> "not-a-jwt"),
                attack("oversize", t -> "a".repeat(9000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void forgedTokensAreRejectedAndAudited(Attack attack) {
        assertThat(api.get("/api/v1/users/me", validToken).status()).as("the genuine token works").isEqualTo(200);
        Api.Response response = api.get("/api/v1/users/me", attack.forgedFrom().apply(this));
        assertRejectedAndAudited(response);
    }

    @Test
    void revokedTokenIsRejected() {
        Api.Response revoked = api.postForm("/api/v1/auth/revoke", Map.of("token", validToken), Map.of());
        assertThat(revoked.status()).isEqualTo(200);
        assertRejectedAndAudited(api.get("/api/v1/users/me", validToken));
    }

    @Test
    void tokenOfADisabledUserIsRejected() {
        Fixtures.User user = fx.createUser("leaver");
        String token = fx.token(user);
        assertThat(api.get("/api/v1/users/me", token).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/users/" + user.username() + "/disablement", fx.adminToken(), "{}").status())
                .isEqualTo(200);
        assertRejectedAndAudited(api.get("/api/v1/users/me", token));
        fx.forget(user);
    }

    @Test
    void aCertificateBoundTokenWithoutItsCertificateIsRefusedAsAMismatch() {
        String bound = realSigned(c -> c.claim("cnf", Map.of("x5t#S256", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiGQA4I")));
        Api.Response response = api.get("/api/v1/users/me", bound);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("auth.certificate_mismatch");
        assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
        List<Map<String, Object>> entries = audit.byRequest(TenantId.PLATFORM, response.header("X-Request-Id"));
        assertThat(entries).extracting(e -> e.get("action")).containsExactly("auth.token_rejected");
        assertThat(String.valueOf(entries.getFirst().get("details"))).contains("certificate_mismatch");
    }

    private void assertRejectedAndAudited(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("auth.invalid_token");
        assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "nimbus");
        List<Map<String, Object>> entries = audit.byRequest(TenantId.PLATFORM, response.header("X-Request-Id"));
        assertThat(entries).extracting(e -> e.get("action")).containsExactly("auth.token_rejected");
        assertThat(entries.getFirst().get("outcome")).isEqualTo("denied");
    }

    private static Arguments attack(String name, Function<JwtAttackTest, String> forged) {
        return Arguments.of(new Attack(name, forged));
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuerName.value()).subject(subject).audience("citadel")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString().replace("-", "")).claim("client_id", "citadel-login")
                .claim("ptype", "user").claim("amr", List.of("pwd")).claim("gen", 0);
    }

    private Date at(long secondsFromNow) {
        return Date.from(clock.instant().plusSeconds(secondsFromNow));
    }

    private String realSigned(java.util.function.Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = claims();
        change.accept(claims);
        return forge.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
                .keyID(forge.activeKid()).build(), claims.build());
    }

    private static JWSHeader.Builder header(JWSAlgorithm algorithm) {
        return new JWSHeader.Builder(algorithm).type(new JOSEObjectType("at+jwt"));
    }

    private static String attackerSigned(JwtAttackTest t, JWSHeader.Builder header) {
        try {
            ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();
            SignedJWT jwt = new SignedJWT(header.build(), t.claims().build());
            jwt.sign(new ECDSASigner(attacker));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String attackerSignedWithOwnJwk(JwtAttackTest t) {
        try {
            ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(t.forge.activeKid()).generate();
            SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.ES256).keyID(t.forge.activeKid())
                    .jwk(attacker.toPublicJWK()).build(), t.claims().build());
            jwt.sign(new ECDSASigner(attacker));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacWithPublicKey(JwtAttackTest t, boolean jwkJson) {
        try {
            byte[] secret = jwkJson ? t.forge.publicKey().toJSONString().getBytes(StandardCharsets.UTF_8)
                    : t.forge.publicKey().toECPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.HS256).keyID(t.forge.activeKid()).build(), t.claims().build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(String token, String alg) {
        String[] parts = token.split("\\.");
        String header = b64("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kidOf(token) + "\"}");
        return header + "." + parts[1] + ".";
    }

    private static String tamperedPayload(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"amr\":[\"pwd\"]", "\"amr\":[\"pwd\",\"otp\"]");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    private static String zeroSignature(String token) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
    }

    private static String kidOf(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
