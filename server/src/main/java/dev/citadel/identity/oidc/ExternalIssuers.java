package dev.citadel.identity.oidc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.stereotype.Component;

import dev.citadel.identity.IdentityProperties;
import dev.citadel.identity.token.ClockedClaimsVerifier;
import dev.citadel.identity.token.ExternalIdentity;
import dev.citadel.identity.token.ExternalTokenVerifier;
import dev.citadel.identity.token.InvalidTokenException;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Role;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trusted external OpenID Connect providers: verifies their access tokens with keys from their
 * published JWKS (found through discovery) and maps group claims to tenant roles.
 *
 * <p>Security guarantees: only asymmetric algorithms are accepted; the issuer must match exactly
 * and the audience must be Citadel's; discovery must name the same issuer; keys are fetched only
 * from the configured provider over HTTPS (plain HTTP only to a loopback address, for tests); a
 * token whose groups map to a tenant the provider is not trusted for is rejected as a whole.
 */
@Component
class ExternalIssuers implements ExternalTokenVerifier {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.Ed25519);
    private static final Pattern MAPPING = Pattern.compile("([a-z0-9][a-z0-9-]*)/([a-z-]+)");
    private static final Pattern GENERIC_GROUP = Pattern.compile("citadel:([^:]+):([^:]+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Pattern LOGIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Map<String, Provider> byIssuer = new LinkedHashMap<>();
    private final Map<String, Provider> byName = new LinkedHashMap<>();
    private final Clock clock;

    ExternalIssuers(IdentityProperties properties, Clock clock) {
        this.clock = clock;
        List<String> problems = new ArrayList<>();
        for (IdentityProperties.OidcProvider config : properties.oidcProviders()) {
            try {
                Provider provider = new Provider(config);
                byIssuer.put(config.issuer(), provider);
                byName.put(config.name(), provider);
            } catch (IllegalArgumentException e) {
                problems.add("OIDC provider '" + config.name() + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid OIDC configuration: " + String.join("; ", problems));
        }
    }

    @Override
    public boolean trusts(String issuer) {
        return issuer != null && byIssuer.containsKey(issuer);
    }

    @Override
    public ExternalIdentity verify(SignedJWT jwt, String issuer) throws InvalidTokenException {
        Provider provider = byIssuer.get(issuer);
        if (provider == null) {
            throw new InvalidTokenException("issuer");
        }
        return provider.verify(jwt);
    }

    /** The providers the console may sign in with, in configuration order. */
    List<IdentityProperties.OidcProvider> loginProviders() {
        return byName.values().stream().map(p -> p.config).filter(IdentityProperties.OidcProvider::offersLogin).toList();
    }

    /** A provider offering console sign-in, by name. */
    Optional<IdentityProperties.OidcProvider> loginProvider(String name) {
        Provider provider = name == null ? null : byName.get(name);
        return provider != null && provider.config.offersLogin() ? Optional.of(provider.config) : Optional.empty();
    }

    /** The provider's authorization and token endpoints; throws IllegalStateException when unreachable. */
    Endpoints endpoints(String name) {
        return byName.get(name).resolved().endpoints();
    }

    /**
     * Verifies an ID token from the named provider: signature with the provider's keys, exact
     * issuer, audience = the console's client id (and {@code azp} when there are several), expiry;
     * the nonce is for the caller to compare.
     */
    JWTClaimsSet verifyIdToken(String name, String idToken) throws InvalidTokenException {
        Provider provider = byName.get(name);
        if (provider == null || !provider.config.offersLogin()) {
            throw new InvalidTokenException("issuer");
        }
        JWTClaimsSet claims;
        try {
            claims = provider.resolved().idTokens().process(SignedJWT.parse(idToken), null);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed");
        } catch (BadJWTException e) {
            throw new InvalidTokenException(ClockedClaimsVerifier.reason(e));
        } catch (BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw new InvalidTokenException("signature");
        } catch (IllegalStateException e) {
            throw new InvalidTokenException("provider_unavailable");
        }
        List<String> audience = claims.getAudience();
        if (audience.size() > 1 && !provider.config.login().clientId().equals(claims.getClaim("azp"))) {
            throw new InvalidTokenException("audience");
        }
        return claims;
    }

    /** Where the console sends the browser and exchanges the code. */
    record Endpoints(URI authorization, URI token) {}

    /** What discovery (or explicit configuration) gives: keys, token checks and login endpoints. */
    private record Resolved(DefaultJWTProcessor<SecurityContext> accessTokens,
            DefaultJWTProcessor<SecurityContext> idTokens, Endpoints endpoints) {}

    private final class Provider {

        private final IdentityProperties.OidcProvider config;
        private final Map<String, Grant> mappings = new HashMap<>();
        private volatile Resolved resolved;

        Provider(IdentityProperties.OidcProvider config) {
            this.config = config;
            for (String tenant : config.trustedTenants()) {
                if (!TenantId.isValidSlug(tenant)) {
                    throw new IllegalArgumentException("trusted tenant '" + tenant + "' is not a valid tenant id");
                }
            }
            config.groupMappings().forEach((group, target) -> {
                Grant grant = parseGrant(target).orElseThrow(() -> new IllegalArgumentException(
                        "mapping for group '" + group + "' must be tenant/role with a tenant role"));
                if (!config.trustedTenants().contains(grant.tenant().value())) {
                    throw new IllegalArgumentException("mapping for group '" + group + "' names tenant '"
                            + grant.tenant() + "', which is not in trusted-tenants");
                }
                mappings.put(group, grant);
            });
            checkUrl(URI.create(config.jwksUri() != null && !config.jwksUri().isBlank() ? config.jwksUri() : config.issuer()));
            if (config.offersLogin()) {
                checkLogin(config);
            }
        }

        ExternalIdentity verify(SignedJWT jwt) throws InvalidTokenException {
            JWTClaimsSet claims;
            try {
                claims = resolved().accessTokens().process(jwt, null);
            } catch (BadJWTException e) {
                throw new InvalidTokenException(ClockedClaimsVerifier.reason(e));
            } catch (BadJOSEException e) {
                throw new InvalidTokenException(e.getMessage() != null && e.getMessage().contains("type")
                        ? "type" : "signature");
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new InvalidTokenException("signature");
            } catch (IllegalStateException e) {
                throw new InvalidTokenException("provider_unavailable");
            }
            return new ExternalIdentity(config.name(), claims.getSubject(), claims.getJWTID(),
                    claims.getExpirationTime().toInstant(), grants(claims), multiFactor(claims));
        }

        private Map<TenantId, Set<Role>> grants(JWTClaimsSet claims) throws InvalidTokenException {
            Map<TenantId, Set<Role>> grants = new HashMap<>();
            for (String group : groups(claims)) {
                Grant grant = mappings.get(group);
                if (grant == null) {
                    Matcher generic = GENERIC_GROUP.matcher(group);
                    if (!generic.matches()) {
                        continue;
                    }
                    grant = parseGrant(generic.group(1) + "/" + generic.group(2))
                            .orElseThrow(() -> new InvalidTokenException("bad_group"));
                }
                if (!config.trustedTenants().contains(grant.tenant().value())) {
                    throw new InvalidTokenException("untrusted_tenant");
                }
                grants.computeIfAbsent(grant.tenant(), t -> EnumSet.noneOf(Role.class)).add(grant.role());
            }
            return grants;
        }

        private List<String> groups(JWTClaimsSet claims) throws InvalidTokenException {
            Object value = claims.getClaim(config.roleClaim());
            if (value == null) {
                return List.of();
            }
            if (value instanceof String single) {
                return List.of(single);
            }
            if (value instanceof List<?> list && list.size() <= 256) {
                List<String> groups = new ArrayList<>();
                for (Object item : list) {
                    if (!(item instanceof String s) || s.length() > 256) {
                        throw new InvalidTokenException("bad_group");
                    }
                    groups.add(s);
                }
                return groups;
            }
            throw new InvalidTokenException("bad_group");
        }

        private boolean multiFactor(JWTClaimsSet claims) {
            try {
                List<String> amr = claims.getStringListClaim("amr");
                return amr != null && amr.stream().anyMatch(config.mfaAmrValues()::contains);
            } catch (ParseException e) {
                return false;
            }
        }

        private Resolved resolved() {
            Resolved current = resolved;
            if (current == null) {
                synchronized (this) {
                    if (resolved == null) {
                        resolved = resolve();
                    }
                    current = resolved;
                }
            }
            return current;
        }

        private Resolved resolve() {
            DefaultResourceRetriever retriever = new NoRedirectRetriever();
            IdentityProperties.Login login = config.login();
            boolean discover = blank(config.jwksUri())
                    || config.offersLogin() && (blank(login.authorizationEndpoint()) || blank(login.tokenEndpoint()));
            JsonNode discovery = discover ? discovery(retriever) : null;
            try {
                URL jwksUrl = checkUrl(URI.create(blank(config.jwksUri())
                        ? discovery.path("jwks_uri").asString("") : config.jwksUri())).toURL();
                JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwksUrl, retriever)
                        .cache(true).rateLimited(true).build();
                DefaultJWTProcessor<SecurityContext> accessTokens = processor(keys, config.audience(),
                        Set.of("sub", "exp", "iat"), new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt")));
                if (!config.offersLogin()) {
                    return new Resolved(accessTokens, null, null);
                }
                DefaultJWTProcessor<SecurityContext> idTokens = processor(keys, login.clientId(),
                        Set.of("sub", "exp", "iat", "nonce"), new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
                Endpoints endpoints = new Endpoints(
                        checkUrl(URI.create(blank(login.authorizationEndpoint())
                                ? discovery.path("authorization_endpoint").asString("") : login.authorizationEndpoint())),
                        checkUrl(URI.create(blank(login.tokenEndpoint())
                                ? discovery.path("token_endpoint").asString("") : login.tokenEndpoint())));
                return new Resolved(accessTokens, idTokens, endpoints);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("the provider's discovery document names unusable URLs", e);
            }
        }

        private DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys, String audience,
                Set<String> required, DefaultJOSEObjectTypeVerifier<SecurityContext> types) {
            DefaultJWTProcessor<SecurityContext> built = new DefaultJWTProcessor<>();
            built.setJWSTypeVerifier(types);
            built.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
            built.setJWTClaimsSetVerifier(new ClockedClaimsVerifier(clock, audience,
                    new JWTClaimsSet.Builder().issuer(config.issuer()).build(), required, 60));
            return built;
        }

        private JsonNode discovery(DefaultResourceRetriever retriever) {
            try {
                URI discovery = checkUrl(URI.create(config.issuer().replaceAll("/$", "") + "/.well-known/openid-configuration"));
                Resource document = retriever.retrieveResource(discovery.toURL());
                JsonNode json = JSON.readTree(document.getContent());
                if (!config.issuer().equals(json.path("issuer").asString(null))) {
                    throw new IllegalStateException("discovery document names another issuer");
                }
                return json;
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read the provider's discovery document", e);
            }
        }
    }

    /** Start-up checks of a console client registration. */
    private static void checkLogin(IdentityProperties.OidcProvider config) {
        IdentityProperties.Login login = config.login();
        if (!LOGIN_NAME.matcher(config.name()).matches()) {
            throw new IllegalArgumentException("a provider offering console sign-in needs a name of lower-case letters, "
                    + "digits and '-' (it appears in the callback URL)");
        }
        if (login.clientId().equals(config.audience())) {
            throw new IllegalArgumentException("login.client-id must differ from audience, or ID tokens would pass as "
                    + "access tokens");
        }
        for (String url : new String[] {login.authorizationEndpoint(), login.tokenEndpoint()}) {
            if (!blank(url)) {
                checkUrl(URI.create(url));
            }
        }
        if (!blank(login.redirectUri())) {
            URI redirect = checkUrl(URI.create(login.redirectUri()));
            if (redirect.getRawQuery() != null || redirect.getRawFragment() != null
                    || !redirect.getRawPath().equals("/console/login/oidc/" + config.name() + "/callback")) {
                throw new IllegalArgumentException("login.redirect-uri must be <origin>/console/login/oidc/"
                        + config.name() + "/callback");
            }
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private record Grant(TenantId tenant, Role role) {}

    /** Fetches discovery and keys with short timeouts, a size cap, and no redirects to elsewhere. */
    private static final class NoRedirectRetriever extends DefaultResourceRetriever {

        NoRedirectRetriever() {
            super(2000, 2000, 256 * 1024);
        }

        @Override
        protected java.net.HttpURLConnection openHTTPConnection(URL url) throws IOException {
            java.net.HttpURLConnection connection = super.openHTTPConnection(url);
            connection.setInstanceFollowRedirects(false);
            return connection;
        }
    }

    private static Optional<Grant> parseGrant(String target) {
        Matcher matcher = MAPPING.matcher(target);
        if (!matcher.matches() || !TenantId.isValidSlug(matcher.group(1))) {
            return Optional.empty();
        }
        return Role.fromWireName(matcher.group(2)).filter(Role::isTenantRole)
                .map(role -> new Grant(new TenantId(matcher.group(1)), role));
    }

    /** HTTPS, or plain HTTP to a loopback address only. */
    static URI checkUrl(URI uri) {
        String scheme = uri.getScheme();
        if ("https".equals(scheme)) {
            return uri;
        }
        if ("http".equals(scheme) && uri.getHost() != null) {
            try {
                if (InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
                    return uri;
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("unresolvable host in " + uri);
            }
        }
        throw new IllegalArgumentException("provider URLs must use https: " + uri);
    }
}
