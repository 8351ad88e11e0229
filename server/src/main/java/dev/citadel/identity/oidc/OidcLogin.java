package dev.citadel.identity.oidc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.stereotype.Component;

import dev.citadel.identity.IdentityProperties;
import dev.citadel.identity.token.InvalidTokenException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's OpenID Connect client: the authorization-code flow with PKCE against a trusted
 * external provider that has a client registration ({@link IdentityProperties.Login}).
 *
 * <p>Security guarantees: {@code state}, {@code nonce} and the PKCE verifier are 256-bit values from
 * {@link SecureRandom}, kept server-side in the pending sign-in; the callback's {@code state} is
 * compared in constant time and a pending sign-in is good for one callback within
 * {@link #MAX_AGE}; the code is exchanged at the provider's token endpoint over HTTPS (plain HTTP
 * only to loopback, as for discovery), without following redirects, with a size cap; the ID token
 * must be signed with the provider's published keys, name the provider as issuer and the console's
 * client id as audience, be unexpired and carry the pending nonce (constant-time); the access token
 * must come from the same issuer for the same subject. The caller then authenticates that access
 * token like any API bearer token. Neither tokens, codes nor secrets are logged or put in messages.
 */
@Component
public class OidcLogin {

    /** How long a started sign-in waits for its callback. */
    public static final Duration MAX_AGE = Duration.ofMinutes(10);

    private static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,40}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ExternalIssuers issuers;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    OidcLogin(ExternalIssuers issuers, Clock clock) {
        this.issuers = issuers;
        this.clock = clock;
    }

    /** A provider the console offers sign-in with. */
    public record Option(String name, String label) {}

    /**
     * A started sign-in, kept in the browser's pre-sign-in session until its callback, as one
     * string ({@link #encode()}): the session holds strings only, no Java objects to deserialize.
     */
    public record Pending(String provider, String state, String nonce, String verifier, URI redirectUri,
            Instant started) {

        public String encode() {
            return String.join(" ", provider, state, nonce, verifier, redirectUri.toString(),
                    Long.toString(started.getEpochSecond()));
        }

        /** The pending sign-in {@link #encode()} wrote, or empty for anything else. */
        public static Optional<Pending> decode(Object stored) {
            if (!(stored instanceof String text)) {
                return Optional.empty();
            }
            String[] parts = text.split(" ");
            if (parts.length != 6) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Pending(parts[0], parts[1], parts[2], parts[3], URI.create(parts[4]),
                        Instant.ofEpochSecond(Long.parseLong(parts[5]))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return "Pending[" + provider + "]";
        }
    }

    /** Where to send the browser, and what to remember until it comes back. */
    public record Start(URI authorizationUrl, Pending pending) {}

    /** The provider's verified answer: its access token and the subject the ID token names. */
    public record Tokens(String accessToken, String subject) {

        @Override
        public String toString() {
            return "Tokens[" + subject + "]";
        }
    }

    /** A refused sign-in; {@code reason} is a short audit code, never a token or provider text. */
    public static final class Refused extends Exception {

        private final String reason;

        Refused(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    public List<Option> options() {
        return issuers.loginProviders().stream().map(p -> new Option(p.name(), label(p))).toList();
    }

    public Optional<Option> option(String provider) {
        return issuers.loginProvider(provider).map(p -> new Option(p.name(), label(p)));
    }

    /**
     * Starts a sign-in: fresh state, nonce and PKCE verifier, and the authorization URL carrying
     * the S256 challenge. {@code defaultRedirect} is used when the provider has no configured one.
     */
    public Start start(String provider, URI defaultRedirect) throws Refused {
        IdentityProperties.OidcProvider config = issuers.loginProvider(provider).orElseThrow(() -> new Refused("provider"));
        ExternalIssuers.Endpoints endpoints = endpoints(provider);
        IdentityProperties.Login login = config.login();
        URI redirect = login.redirectUri() == null || login.redirectUri().isBlank() ? defaultRedirect
                : URI.create(login.redirectUri());
        Pending pending = new Pending(provider, randomValue(), randomValue(), randomValue(), redirect, clock.instant());
        Set<String> scopes = new LinkedHashSet<>(List.of("openid"));
        scopes.addAll(login.scopes());
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", login.clientId());
        query.put("redirect_uri", redirect.toString());
        query.put("scope", String.join(" ", scopes));
        query.put("state", pending.state());
        query.put("nonce", pending.nonce());
        query.put("code_challenge", challenge(pending.verifier()));
        query.put("code_challenge_method", "S256");
        String base = endpoints.authorization().toString();
        return new Start(URI.create(base + (endpoints.authorization().getRawQuery() == null ? "?" : "&") + form(query)),
                pending);
    }

    /**
     * Completes a sign-in from its callback: checks {@code state} against the pending sign-in,
     * exchanges the code and verifies the ID token and the access token's issuer and subject.
     */
    public Tokens finish(Pending pending, String state, String code) throws Refused {
        if (state == null || !MessageDigest.isEqual(pending.state().getBytes(StandardCharsets.US_ASCII),
                state.getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused("state");
        }
        if (!clock.instant().isBefore(pending.started().plus(MAX_AGE))) {
            throw new Refused("expired");
        }
        if (code == null || code.isEmpty() || code.length() > 2048) {
            throw new Refused("code_missing");
        }
        IdentityProperties.OidcProvider config = issuers.loginProvider(pending.provider())
                .orElseThrow(() -> new Refused("provider"));
        JsonNode answer = exchange(config, endpoints(pending.provider()).token(), pending, code);
        String accessToken = answer.path("access_token").asString("");
        String idToken = answer.path("id_token").asString("");
        if (accessToken.isEmpty() || idToken.isEmpty()
                || !"bearer".equals(answer.path("token_type").asString("").toLowerCase(Locale.ROOT))) {
            throw new Refused("token_response");
        }
        JWTClaimsSet id;
        try {
            id = issuers.verifyIdToken(pending.provider(), idToken);
        } catch (InvalidTokenException e) {
            throw new Refused("id_token_" + e.reason());
        }
        Object nonce = id.getClaim("nonce");
        if (!(nonce instanceof String presented) || !MessageDigest.isEqual(
                pending.nonce().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            throw new Refused("id_token_nonce");
        }
        checkAccessToken(config, accessToken, id.getSubject());
        return new Tokens(accessToken, id.getSubject());
    }

    /** Token substitution: the access token must be the same provider's, for the same person. */
    private static void checkAccessToken(IdentityProperties.OidcProvider config, String accessToken, String subject)
            throws Refused {
        JWTClaimsSet claims;
        try {
            claims = SignedJWT.parse(accessToken).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Refused("token_response");
        }
        if (!config.issuer().equals(claims.getIssuer()) || !subject.equals(claims.getSubject())) {
            throw new Refused("token_mismatch");
        }
    }

    private JsonNode exchange(IdentityProperties.OidcProvider config, URI tokenEndpoint, Pending pending, String code)
            throws Refused {
        IdentityProperties.Login login = config.login();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", pending.redirectUri().toString());
        body.put("code_verifier", pending.verifier());
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (login.clientSecret() != null && !login.clientSecret().isEmpty()) {
            String credentials = URLEncoder.encode(login.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(login.clientSecret().reveal(), StandardCharsets.UTF_8);
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            body.put("client_id", login.clientId());
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(form(body))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Refused("provider_unavailable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("provider_unavailable");
        }
        JsonNode json;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new Refused("token_response");
            }
            json = JSON.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            throw new Refused("token_response");
        }
        if (response.statusCode() != 200) {
            String error = json.path("error").asString("");
            throw new Refused("exchange_" + (ERROR_CODE.matcher(error).matches() ? error : response.statusCode()));
        }
        return json;
    }

    private ExternalIssuers.Endpoints endpoints(String provider) throws Refused {
        try {
            return issuers.endpoints(provider);
        } catch (IllegalStateException e) {
            throw new Refused("provider_unavailable");
        }
    }

    private static String label(IdentityProperties.OidcProvider provider) {
        String display = provider.login().displayName();
        return display == null || display.isBlank() ? provider.name() : display;
    }

    /** 256 random bits, base64url without padding (also a valid RFC 7636 verifier: 43 characters). */
    private String randomValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
