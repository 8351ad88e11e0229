package dev.citadel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/** The OAuth 2.0 token endpoint, refresh-token rotation, revocation, JWKS and signing-key rotation. */
class TokenEndpointTest extends IntegrationTest {

    private String tenant;
    private String clientId;
    private String clientSecret;

    @BeforeEach
    void serviceAccount() {
        tenant = fx.createTenant("apps");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Api.Response created = api.post("/api/v1/tenants/" + tenant + "/service-accounts", fx.token(admin),
                Api.json("name", "scoring-app", "roles", List.of("predictor", "viewer")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        clientId = created.json().path("clientId").asString();
        clientSecret = created.json().path("clientSecret").asString();
        assertThat(clientId).startsWith(tenant + ".");
    }

    @Test
    void clientCredentialsInTheFormGiveAWorkingShortLivedToken() {
        Api.Response token = clientCredentials(Map.of("client_id", clientId, "client_secret", clientSecret), Map.of());
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        assertThat(token.json().path("expires_in").asLong()).isEqualTo(900);
        assertThat(token.json().has("refresh_token")).as("no refresh token for client credentials").isFalse();
        String access = token.json().path("access_token").asString();
        assertThat(api.get("/api/v1/tenants/" + tenant, access).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/users/me", access).json().path("kind").asString()).isEqualTo("service-account");
    }

    @Test
    void clientCredentialsWithHttpBasicWork() {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        Api.Response token = clientCredentials(Map.of(), Map.of("Authorization", "Basic " + basic));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
    }

    @Test
    void aWrongSecretAndAnUnknownClientAnswerTheSame() {
        Api.Response wrong = clientCredentials(Map.of("client_id", clientId, "client_secret", "cs_wrong"), Map.of());
        Api.Response unknown = clientCredentials(Map.of("client_id", tenant + ".nope", "client_secret", "cs_wrong"), Map.of());
        Api.Response garbage = clientCredentials(Map.of("client_id", "no-dot", "client_secret", "x"), Map.of());
        for (Api.Response response : List.of(wrong, unknown, garbage)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.code()).isEqualTo("auth.invalid_client");
            assertThat(response.json().path("error").asString()).as("RFC 6749 §5.2").isEqualTo("invalid_client");
        }
    }

    @Test
    void onlyClientCredentialsAndRefreshGrantsExist() {
        for (String grant : List.of("password", "implicit", "authorization_code", "urn:ietf:params:oauth:grant-type:jwt-bearer")) {
            Api.Response response = api.postForm("/api/v1/auth/token",
                    Map.of("grant_type", grant, "username", "admin", "password", "x"), Map.of());
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("auth.unsupported_grant_type");
        }
    }

    @Test
    void credentialsInTheUrlAreRefused() {
        Api.Response response = api.postForm("/api/v1/auth/token?client_secret=" + clientSecret,
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret), Map.of());
        assertThat(response.status()).isEqualTo(400);
        assertThat(api.postForm("/api/v1/auth/revoke?token=x", Map.of("token", "x"), Map.of()).status()).isEqualTo(400);
    }

    @Test
    void refreshTokensRotateAndAReusedOneRevokesTheWholeFamily() {
        Fixtures.User user = fx.createUser("refresher");
        String first = fx.login(user, null).json().path("refresh_token").asString();
        Api.Response rotated = refresh(first);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String second = rotated.json().path("refresh_token").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(api.get("/api/v1/users/me", rotated.json().path("access_token").asString()).status()).isEqualTo(200);

        Api.Response reuse = refresh(first);
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.code()).isEqualTo("auth.invalid_grant");
        assertThat(refresh(second).status()).as("the thief's copy killed the family").isEqualTo(400);
    }

    @Test
    void revokingARefreshTokenEndsTheSession() {
        Fixtures.User user = fx.createUser("logout");
        String refresh = fx.login(user, null).json().path("refresh_token").asString();
        assertThat(api.postForm("/api/v1/auth/revoke", Map.of("token", refresh), Map.of()).status()).isEqualTo(200);
        assertThat(refresh(refresh).status()).isEqualTo(400);
        assertThat(api.postForm("/api/v1/auth/revoke", Map.of("token", "unknown-token"), Map.of()).status())
                .as("RFC 7009: unknown tokens are not an error").isEqualTo(200);
    }

    @Test
    void rotatingTheSecretInvalidatesTheOldSecretAndItsTokens() {
        String oldToken = clientCredentials(Map.of("client_id", clientId, "client_secret", clientSecret), Map.of())
                .json().path("access_token").asString();
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Api.Response rotated = api.post("/api/v1/tenants/" + tenant + "/service-accounts/scoring-app/secret-rotation",
                fx.token(admin), "{}");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newSecret = rotated.json().path("clientSecret").asString();
        assertThat(newSecret).isNotEqualTo(clientSecret);
        assertThat(clientCredentials(Map.of("client_id", clientId, "client_secret", clientSecret), Map.of()).status())
                .isEqualTo(401);
        assertThat(api.get("/api/v1/tenants/" + tenant, oldToken).status()).isEqualTo(401);
        String newToken = clientCredentials(Map.of("client_id", clientId, "client_secret", newSecret), Map.of())
                .json().path("access_token").asString();
        assertThat(api.get("/api/v1/tenants/" + tenant, newToken).status()).isEqualTo(200);
    }

    @Test
    void disablingAServiceAccountStopsItsTokensAtOnce() {
        String token = clientCredentials(Map.of("client_id", clientId, "client_secret", clientSecret), Map.of())
                .json().path("access_token").asString();
        assertThat(api.get("/api/v1/tenants/" + tenant, token).status()).as("used, so its signature is cached").isEqualTo(200);
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        assertThat(api.post("/api/v1/tenants/" + tenant + "/service-accounts/scoring-app/disablement", fx.token(admin), "{}")
                .json().path("disabled").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/tenants/" + tenant, token).status()).isEqualTo(401);
        assertThat(clientCredentials(Map.of("client_id", clientId, "client_secret", clientSecret), Map.of()).status())
                .isEqualTo(401);
    }

    @Test
    void theSecretIsShownOnceAndNeverListed() {
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Api.Response list = api.get("/api/v1/tenants/" + tenant + "/service-accounts", fx.token(admin));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains(clientId).doesNotContain(clientSecret).doesNotContain("\"clientSecret\":\"cs_");
    }

    @Test
    void jwksPublishesOnlyPublicKeysAndRotationKeepsLiveTokensValid() {
        Fixtures.User user = fx.createUser("rotation");
        String before = fx.token(user);
        Api.Response jwks = api.get("/api/v1/auth/jwks", null);
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.json().path("keys").get(0).path("kty").asString()).isEqualTo("EC");
        assertThat(jwks.body()).doesNotContain("\"d\"");

        Api.Response rotated = api.post("/api/v1/platform/token-signing-keys/rotation", fx.adminToken(), "{}");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/users/me", before).status()).as("signed with the retired key").isEqualTo(200);
        assertThat(api.get("/api/v1/auth/jwks", null).json().path("keys").size()).isGreaterThanOrEqualTo(2);
        fx.forget(user);
        String after = fx.token(user);
        assertThat(kid(after)).isEqualTo(rotated.json().path("kid").asString()).isNotEqualTo(kid(before));
    }

    private Api.Response clientCredentials(Map<String, String> form, Map<String, String> headers) {
        Map<String, String> body = new java.util.HashMap<>(form);
        body.put("grant_type", "client_credentials");
        return api.postForm("/api/v1/auth/token", body, headers);
    }

    private Api.Response refresh(String refreshToken) {
        return api.postForm("/api/v1/auth/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), Map.of());
    }

    private static String kid(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)
                .replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }
}
