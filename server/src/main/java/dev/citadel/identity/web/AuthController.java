package dev.citadel.identity.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.identity.SignIn;
import dev.citadel.identity.TokenResponse;
import dev.citadel.identity.token.SigningKeys;
import dev.citadel.platform.Secret;
import dev.citadel.platform.access.PublicEndpoint;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Sign-in, the OAuth 2.0 token endpoint (client credentials and refresh only — no password or
 * implicit grant, OWASP ASVS 5.0 §10.4.4), RFC 7009 revocation and the JWKS.
 */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication")
class AuthController {

    private final SignIn signIn;
    private final SigningKeys signingKeys;

    AuthController(SignIn signIn, SigningKeys signingKeys) {
        this.signIn = signIn;
        this.signingKeys = signingKeys;
    }

    /** Sign-in request for people; {@code totp} is required once the account has TOTP. */
    record LoginRequest(
            @NotBlank @Size(max = 128) String username,
            @Schema(type = "string", format = "password", maxLength = 1024, requiredMode = Schema.RequiredMode.REQUIRED)
            Secret password,
            @Size(max = 16) @Pattern(regexp = "\\d{6}", message = "must be 6 digits") String totp) {}

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PublicEndpoint
    @Operation(summary = "Sign in with username, password and TOTP code",
            description = "Answers an RFC 6749 token response with a 15-minute access token and a one-time refresh token.")
    TokenResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        if (request.password() == null) {
            throw CitadelException.invalid("password", "is required");
        }
        return signIn.login(request.username(), request.password(), request.totp(), http.getRemoteAddr());
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @PublicEndpoint
    @Operation(summary = "OAuth 2.0 token endpoint",
            description = "grant_type=client_credentials (client_id and client_secret in the form or HTTP Basic; "
                    + "or, for a service account registered with tlsClientAuth, client_id alone on a connection "
                    + "presenting its TLS client certificate, RFC 8705) or grant_type=refresh_token. A token obtained "
                    + "on a connection with a client certificate is bound to it (cnf.x5t#S256). The password and "
                    + "implicit grants are not offered.")
    ResponseEntity<TokenResponse> token(
            @RequestParam("grant_type") @Size(max = 64) String grantType,
            @RequestParam(name = "client_id", required = false) @Size(max = 200) String clientId,
            @RequestParam(name = "client_secret", required = false) @Size(max = 1024) String clientSecret,
            @RequestParam(name = "refresh_token", required = false) @Size(max = 1024) String refreshToken,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Size(max = 8192) String authorization,
            HttpServletRequest http) {
        refuseQueryString(http);
        TokenResponse response = switch (grantType) {
            case "client_credentials" -> {
                String[] basic = basicCredentials(authorization);
                String id = basic != null ? basic[0] : clientId;
                String secret = basic != null ? basic[1] : clientSecret;
                var certificate = ClientCertificates.of(http);
                if (id == null || (secret == null && certificate.isEmpty())) {
                    throw new CitadelException(ErrorCode.AUTH_INVALID_CLIENT, "Invalid client credentials.");
                }
                yield signIn.clientCredentials(id, secret == null ? null : Secret.of(secret), certificate,
                        http.getRemoteAddr());
            }
            case "refresh_token" -> signIn.refresh(refreshToken == null ? null : Secret.of(refreshToken), http.getRemoteAddr());
            default -> throw new CitadelException(ErrorCode.AUTH_UNSUPPORTED_GRANT_TYPE,
                    "Supported grant types: client_credentials, refresh_token.");
        };
        return ResponseEntity.ok().header(HttpHeaders.PRAGMA, "no-cache").body(response);
    }

    @PostMapping(path = "/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @PublicEndpoint
    @Operation(summary = "Revoke a token (RFC 7009)",
            description = "A refresh token revokes its whole family; an access token is revoked until it expires. "
                    + "Always answers 200, whether or not the token was known.")
    ResponseEntity<Void> revoke(@RequestParam("token") @Size(max = 8192) String token,
            @RequestParam(name = "token_type_hint", required = false) @Size(max = 32) String hint,
            HttpServletRequest http) {
        refuseQueryString(http);
        signIn.revoke(Secret.of(token));
        return ResponseEntity.ok().build();
    }

    @GetMapping(path = "/jwks", produces = {"application/jwk-set+json", MediaType.APPLICATION_JSON_VALUE})
    @PublicEndpoint
    @Operation(summary = "Public keys that verify Citadel's access tokens (RFC 7517 JWK set)")
    Map<String, Object> jwks() {
        return signingKeys.publicJwks().toJSONObject(true);
    }

    /** Credentials and tokens belong in the body, never in a URL that proxies and logs keep (ASVS 14.2.1). */
    private static void refuseQueryString(HttpServletRequest http) {
        if (http.getQueryString() != null) {
            throw CitadelException.invalid("query", "send parameters in the form-encoded body, not in the URL");
        }
    }

    /** RFC 6749 §2.3.1: HTTP Basic with form-urlencoded client id and secret. */
    static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8),
            };
        } catch (IllegalArgumentException e) {
            throw new CitadelException(ErrorCode.AUTH_INVALID_CLIENT, "Invalid client credentials.");
        }
    }
}
