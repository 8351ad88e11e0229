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
     */
    public record OidcProvider(
            @NotBlank String name,
            @NotBlank String issuer,
            @NotBlank String audience,
            String jwksUri,
            @NotNull List<String> trustedTenants,
            @DefaultValue("groups") String roleClaim,
            Map<String, String> groupMappings,
            @DefaultValue({"mfa", "otp", "hwk", "swk"}) List<String> mfaAmrValues) {

        public OidcProvider {
            groupMappings = groupMappings == null ? Map.of() : Map.copyOf(groupMappings);
            trustedTenants = trustedTenants == null ? null : List.copyOf(trustedTenants);
        }
    }
}
