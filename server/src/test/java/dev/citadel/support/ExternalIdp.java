package dev.citadel.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A real OpenID Connect provider on loopback for federation tests: it serves a discovery document
 * and a JWKS over HTTP, and mints RS256 access tokens with whatever claims a test wants.
 */
public final class ExternalIdp {

    public static final String NAME = "corp-idp";
    public static final String AUDIENCE = "citadel";
    public static final String TRUSTED_TENANT = "idp-trusted";
    public static final String UNTRUSTED_TENANT = "idp-untrusted";
    public static final String SCIENTIST_GROUP = "clinical-scientists";
    public static final String ADMIN_GROUP = "clinical-admins";

    private static ExternalIdp instance;

    private final HttpServer server;
    private final RSAKey key;
    private final String issuer;

    private ExternalIdp() {
        try {
            key = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/corp";
            server.createContext("/realms/corp/.well-known/openid-configuration", exchange -> respond(exchange,
                    "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/protocol/openid-connect/certs\"}"));
            server.createContext("/realms/corp/protocol/openid-connect/certs", exchange -> respond(exchange,
                    new JWKSet(key.toPublicJWK()).toString()));
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test identity provider", e);
        }
    }

    public static synchronized ExternalIdp get() {
        if (instance == null) {
            instance = new ExternalIdp();
        }
        return instance;
    }

    public String issuer() {
        return issuer;
    }

    /** Spring properties that make Citadel trust this provider. */
    public Map<String, String> properties() {
        String prefix = "citadel.auth.oidc-providers[0].";
        return Map.of(
                prefix + "name", NAME,
                prefix + "issuer", issuer,
                prefix + "audience", AUDIENCE,
                prefix + "trusted-tenants[0]", TRUSTED_TENANT,
                prefix + "group-mappings[" + SCIENTIST_GROUP + "]", TRUSTED_TENANT + "/data-scientist",
                prefix + "group-mappings[" + ADMIN_GROUP + "]", TRUSTED_TENANT + "/tenant-admin");
    }

    /** A valid access token for {@code subject} with {@code groups}, adjustable by {@code customise}. */
    public String token(String subject, List<String> groups, Instant now, Consumer<JWTClaimsSet.Builder> customise) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString()).claim("groups", groups);
        customise.accept(claims);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (UncheckedIOException ignored) {
            // client went away
        }
    }
}
