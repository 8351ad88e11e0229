package dev.citadel.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.citadel.platform.Secret;

/**
 * Identity configuration: token lifetimes, sign-in throttling, the bootstrap administrator and
 * trusted external OpenID Connect providers. Listed in docs/configuration.md.
 */
@ConfigurationProperties("citadel.auth")
@Validated
public record IdentityProperties(
        String issuer,
        @DefaultValue("citadel") @NotBlank String audience,
        @DefaultValue("15m") @NotNull Duration accessTokenTtl,
        @DefaultValue("12h") @NotNull Duration refreshTokenTtl,
        @DefaultValue("24h") @NotNull Duration refreshSessionMaxAge,
        @DefaultValue @Valid @NotNull Lockout lockout,
        @DefaultValue @Valid @NotNull Bootstrap bootstrap,
        List<@Valid OidcProvider> oidcProviders) {

    public IdentityProperties {
        oidcProviders = oidcProviders == null ? List.of() : List.copyOf(oidcProviders);
    }

    /**
     * Exponential backoff: from the {@code threshold}-th failure within {@code window}, the subject
     * is locked for {@code baseDelay × 2^(failures − threshold)}, at most {@code maxDelay}.
     */
    public record Lockout(
            @DefaultValue("5") @Min(1) int accountThreshold,
            @DefaultValue("30") @Min(1) int addressThreshold,
            @DefaultValue("30s") @NotNull Duration baseDelay,
            @DefaultValue("15m") @NotNull Duration maxDelay,
            @DefaultValue("15m") @NotNull Duration window) {}

    /** The first platform administrator, created on first start with an empty database. */
    public record Bootstrap(String adminUser, Secret adminPassword, Secret adminTotpSecret) {}

    /**
     * A trusted external OpenID Connect provider.
     *
     * @param name            short alias used in principal ids and logs
     * @param issuer          exact {@code iss} value; discovery is read from {@code issuer/.well-known/openid-configuration}
     * @param audience        required {@code aud} value of access tokens for Citadel
     * @param jwksUri         optional: skip discovery and read keys here
     * @param trustedTenants  the only tenants this provider may grant roles in
     * @param roleClaim       claim holding group names (string or array), default {@code groups}
     * @param groupMappings   group name → {@code tenant/role}
     * @param mfaAmrValues    {@code amr} values that count as multi-factor (admin roles need one)
     * @param login           optional console sign-in through this provider (authorization-code flow)
     */
    public record OidcProvider(
            @NotBlank String name,
            @NotBlank String issuer,
            @NotBlank String audience,
            String jwksUri,
            @NotNull List<String> trustedTenants,
            @DefaultValue("groups") String roleClaim,
            Map<String, String> groupMappings,
            @DefaultValue({"mfa", "otp", "hwk", "swk"}) List<String> mfaAmrValues,
            @DefaultValue @Valid Login login) {

        public OidcProvider {
            groupMappings = groupMappings == null ? Map.of() : Map.copyOf(groupMappings);
            trustedTenants = trustedTenants == null ? null : List.copyOf(trustedTenants);
            login = login == null ? new Login(null, null, null, null, null, null, List.of("openid")) : login;
        }

        /** Whether the console offers "Sign in with" this provider. */
        public boolean offersLogin() {
            return login.clientId() != null && !login.clientId().isBlank();
        }
    }

    /**
     * The console's client registration at an external provider; without {@code clientId} the
     * provider only federates API tokens.
     *
     * @param clientId              the console's client id at the provider (the ID token's {@code aud})
     * @param clientSecret          its secret (sent with HTTP Basic); omit for a public client (PKCE only)
     * @param displayName           the button's label, default the provider's name
     * @param authorizationEndpoint optional: skip discovery's {@code authorization_endpoint}
     * @param tokenEndpoint         optional: skip discovery's {@code token_endpoint}
     * @param redirectUri           optional: the registered callback; default from the request's origin
     * @param scopes                requested scopes; {@code openid} is always included
     */
    public record Login(
            String clientId,
            Secret clientSecret,
            String displayName,
            String authorizationEndpoint,
            String tokenEndpoint,
            String redirectUri,
            @DefaultValue("openid") List<String> scopes) {

        public Login {
            scopes = scopes == null ? List.of("openid") : List.copyOf(scopes);
        }
    }
}
