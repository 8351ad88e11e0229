package dev.citadel.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.identity.IdentityProperties;
import dev.citadel.platform.Secret;

/** Start-up checks of console client registrations, and the pending sign-in kept in the session. */
class LoginConfigurationTest {

    private static final String ISSUER = "https://idp.example.org/realms/research";

    @Test
    void aClientIdEqualToTheAccessTokenAudienceStopsStartUp() {
        assertThatThrownBy(() -> issuers(provider("keycloak", login("citadel", null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client-id must differ from audience");
    }

    @Test
    void aRedirectUriElsewhereOrOverPlainHttpStopsStartUp() {
        assertThatThrownBy(() -> issuers(provider("keycloak",
                login("console", "https://citadel.example.org/somewhere-else"))))
                .hasMessageContaining("/console/login/oidc/keycloak/callback");
        assertThatThrownBy(() -> issuers(provider("keycloak",
                login("console", "http://192.0.2.10/console/login/oidc/keycloak/callback"))))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> issuers(provider("Key Cloak", login("console", null))))
                .hasMessageContaining("lower-case");
    }

    @Test
    void onlyProvidersWithAClientIdOfferSignIn() {
        ExternalIssuers issuers = issuers(provider("keycloak", login("console",
                "https://citadel.example.org/console/login/oidc/keycloak/callback")),
                new IdentityProperties.OidcProvider("api-only", ISSUER + "-2", "citadel", null, List.of(), "groups",
                        Map.of(), List.of("mfa"), null));
        assertThat(issuers.loginProviders()).extracting(IdentityProperties.OidcProvider::name).containsExactly("keycloak");
        assertThat(issuers.loginProvider("api-only")).isEmpty();
    }

    @Test
    void aPendingSignInSurvivesOnlyItsOwnEncoding() {
        OidcLogin.Pending pending = new OidcLogin.Pending("keycloak", "s".repeat(43), "n".repeat(43), "v".repeat(43),
                URI.create("https://citadel.example.org/console/login/oidc/keycloak/callback"),
                Instant.ofEpochSecond(1_800_000_000L));
        assertThat(OidcLogin.Pending.decode(pending.encode())).contains(pending);
        assertThat(OidcLogin.Pending.decode("keycloak state")).isEmpty();
        assertThat(OidcLogin.Pending.decode("a b c d e not-a-number")).isEmpty();
        assertThat(OidcLogin.Pending.decode(42)).isEmpty();
        assertThat(pending.toString()).doesNotContain("sss", "nnn", "vvv");
    }

    @Test
    void theChallengeIsRfc7636S256() {
        // RFC 7636, appendix B
        assertThat(OidcLogin.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    private static IdentityProperties.OidcProvider provider(String name, IdentityProperties.Login login) {
        return new IdentityProperties.OidcProvider(name, ISSUER, "citadel", null, List.of(), "groups", Map.of(),
                List.of("mfa"), login);
    }

    private static IdentityProperties.Login login(String clientId, String redirectUri) {
        return new IdentityProperties.Login(clientId, Secret.of("secret"), null, null, null, redirectUri, null);
    }

    private static ExternalIssuers issuers(IdentityProperties.OidcProvider... providers) {
        return new ExternalIssuers(new IdentityProperties(null, "citadel", null, null, null, null, null, List.of(providers)),
                Clock.systemUTC());
    }
}
