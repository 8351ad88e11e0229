package dev.citadel.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>For console sign-in it is also an authorization server for one confidential client
 * ({@link #CLIENT_ID}): {@code /auth} consents at once for the login a test set with
 * {@link #nextLogin} and redirects back with a one-time code; {@code /token} checks the client's
 * credentials, the code (once), the redirect URI and the PKCE verifier, and answers an ID token and
 * an access token. {@link #lastTokenError()} says why it last refused an exchange.
 */
public final class ExternalIdp {

    public static final String NAME = "corp-idp";
    public static final String AUDIENCE = "citadel";
    public static final String TRUSTED_TENANT = "idp-trusted";
    public static final String UNTRUSTED_TENANT = "idp-untrusted";
    public static final String SCIENTIST_GROUP = "clinical-scientists";
    public static final String ADMIN_GROUP = "clinical-admins";
    /** The console's client at this provider; the second provider has no client, so no button. */
    public static final String CLIENT_ID = "citadel-console";
    public static final String CLIENT_SECRET = "console-client-secret-for-tests";
    public static final String DISPLAY_NAME = "Corp SSO";
    public static final String API_ONLY_NAME = "partner-idp";

    /** Who the provider signs in at its next authorization request, and how. */
    public record Login(String subject, List<String> groups, Instant now, Consumer<JWTClaimsSet.Builder> idToken,
            Consumer<JWTClaimsSet.Builder> accessToken, boolean deny) {

        /** {@code subject} with {@code groups} consents; both tokens as a correct provider makes them. */
        public static Login of(String subject, List<String> groups, Instant now) {
            return new Login(subject, groups, now, c -> { }, c -> { }, false);
        }
    }

    private record Grant(String redirectUri, String challenge, String nonce, Login login) {}

    private static ExternalIdp instance;

    private final HttpServer server;
    private final RSAKey key;
    private final String issuer;
    private final AtomicReference<Login> nextLogin = new AtomicReference<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final AtomicReference<String> lastTokenError = new AtomicReference<>();

    private ExternalIdp() {
        try {
            key = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/corp";
            server.createContext("/realms/corp/.well-known/openid-configuration", exchange -> respond(exchange,
                    "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/protocol/openid-connect/certs\","
                            + "\"authorization_endpoint\":\"" + issuer + "/protocol/openid-connect/auth\","
                            + "\"token_endpoint\":\"" + issuer + "/protocol/openid-connect/token\"}"));
            server.createContext("/realms/corp/protocol/openid-connect/auth", this::authorize);
            server.createContext("/realms/corp/protocol/openid-connect/token", this::token);
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

    /**
     * Spring properties that make Citadel trust this provider, with a console client registration,
     * and a second provider (same keys, another issuer) that only federates API tokens.
     */
    public Map<String, String> properties() {
        String prefix = "citadel.auth.oidc-providers[0].";
        String second = "citadel.auth.oidc-providers[1].";
        return Map.ofEntries(
                Map.entry(prefix + "name", NAME),
                Map.entry(prefix + "issuer", issuer),
                Map.entry(prefix + "audience", AUDIENCE),
                Map.entry(prefix + "trusted-tenants[0]", TRUSTED_TENANT),
                Map.entry(prefix + "group-mappings[" + SCIENTIST_GROUP + "]", TRUSTED_TENANT + "/data-scientist"),
                Map.entry(prefix + "group-mappings[" + ADMIN_GROUP + "]", TRUSTED_TENANT + "/tenant-admin"),
                Map.entry(prefix + "login.client-id", CLIENT_ID),
                Map.entry(prefix + "login.client-secret", CLIENT_SECRET),
                Map.entry(prefix + "login.display-name", DISPLAY_NAME),
                Map.entry(second + "name", API_ONLY_NAME),
                Map.entry(second + "issuer", issuer.replace("/realms/corp", "/realms/partner")),
                Map.entry(second + "audience", AUDIENCE),
                Map.entry(second + "trusted-tenants[0]", TRUSTED_TENANT));
    }

    /** The login the next authorization request consents to (one request only). */
    public void nextLogin(Login login) {
        nextLogin.set(login);
    }

    /** Why the token endpoint last refused an exchange: client, code, redirect_uri or pkce. */
    public String lastTokenError() {
        return lastTokenError.get();
    }

    /** An ID token for the console's client, adjustable by {@code customise}. */
    public String idToken(String subject, String nonce, Instant now, Consumer<JWTClaimsSet.Builder> customise) {
        return token(subject, List.of(), now, claims -> {
            claims.audience(CLIENT_ID).claim("nonce", nonce).claim("groups", null);
            customise.accept(claims);
        });
    }

    private void authorize(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        Login login = nextLogin.getAndSet(null);
        String redirect = query.get("redirect_uri");
        if (login == null || !CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))
                || redirect == null || !"S256".equals(query.get("code_challenge_method"))
                || !query.getOrDefault("scope", "").contains("openid")) {
            respond(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        Map<String, String> back = new LinkedHashMap<>();
        if (login.deny()) {
            back.put("error", "access_denied");
        } else {
            String code = UUID.randomUUID().toString();
            codes.put(code, new Grant(redirect, query.get("code_challenge"), query.get("nonce"), login));
            back.put("code", code);
        }
        back.put("state", query.get("state"));
        exchange.getResponseHeaders().add("Location", redirect + "?" + form(back));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        Map<String, String> body = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        String error = null;
        Grant grant = body.get("code") == null ? null : codes.remove(body.get("code"));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            error = "client";
        } else if (!"authorization_code".equals(body.get("grant_type")) || grant == null) {
            error = "code";
        } else if (!grant.redirectUri().equals(body.get("redirect_uri"))) {
            error = "redirect_uri";
        } else if (body.get("code_verifier") == null || !challenge(body.get("code_verifier")).equals(grant.challenge())) {
            error = "pkce";
        }
        if (error != null) {
            lastTokenError.set(error);
            respond(exchange, error.equals("client") ? 401 : 400,
                    "{\"error\":\"" + (error.equals("client") ? "invalid_client" : "invalid_grant") + "\"}");
            return;
        }
        Login login = grant.login();
        String access = token(login.subject(), login.groups(), login.now(), login.accessToken());
        String id = idToken(login.subject(), grant.nonce(), login.now(), login.idToken());
        respond(exchange, 200, "{\"access_token\":\"" + access + "\",\"id_token\":\"" + id
                + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String form(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    /** The Location an authorization URL answers (the provider consents at once). */
    public static URI follow(URI authorizationUrl) {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var response = client.send(java.net.http.HttpRequest.newBuilder(authorizationUrl).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 302) {
                throw new IllegalStateException("the provider answered " + response.statusCode());
            }
            return URI.create(response.headers().firstValue("Location").orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        respond(exchange, 200, body);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (UncheckedIOException ignored) {
            // client went away
        }
    }
}
