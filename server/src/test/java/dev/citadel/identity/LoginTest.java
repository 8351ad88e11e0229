package dev.citadel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/** Sign-in for people: uniform failures, TOTP with replay protection, backoff and lockout. */
class LoginTest extends IntegrationTest {

    @Test
    void unknownUserAndWrongPasswordAnswerExactlyTheSame() {
        Fixtures.User user = fx.createUser("known");
        Api.Response wrongPassword = login(user.username(), "not-the-password-at-all", null);
        Api.Response unknownUser = login("nobody-" + user.username(), "not-the-password-at-all", null);
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(withoutRequestId(wrongPassword)).isEqualTo(withoutRequestId(unknownUser));
        assertThat(wrongPassword.code()).isEqualTo("auth.invalid_credentials");
        assertThat(audit.byRequest(TenantId.PLATFORM, unknownUser.header("X-Request-Id")))
                .extracting(e -> e.get("action") + "/" + e.get("outcome")).containsExactly("auth.login/failure");
    }

    @Test
    void aSuccessfulSignInAnswersAnRfc6749TokenResponse() {
        Fixtures.User user = fx.createUser("fine");
        Api.Response response = login(user.username(), user.password(), null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(response.json().path("expires_in").asLong()).isEqualTo(900);
        assertThat(response.json().path("refresh_token").asString()).startsWith("rt_");
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.body()).doesNotContain(user.password());
    }

    @Test
    void onceTotpIsActiveSignInNeedsAValidCode() {
        Fixtures.User user = fx.createUser("mfa");
        String secret = fx.enrolTotp(user);
        clock.advance(Duration.ofSeconds(30));
        assertThat(login(user.username(), user.password(), null).code()).isEqualTo("auth.invalid_credentials");
        assertThat(login(user.username(), user.password(), "000000").code()).isEqualTo("auth.invalid_credentials");
        Api.Response ok = login(user.username(), user.password(), fx.currentCode(secret));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/users/me", ok.json().path("access_token").asString()).json().path("mfa").asBoolean())
                .isTrue();
    }

    @Test
    void aUsedCodeCannotBeReplayed() {
        Fixtures.User user = fx.createUser("replay");
        String secret = fx.enrolTotp(user);
        clock.advance(Duration.ofSeconds(30));
        String code = fx.currentCode(secret);
        assertThat(login(user.username(), user.password(), code).status()).isEqualTo(200);
        Api.Response replay = login(user.username(), user.password(), code);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(audit.byRequest(TenantId.PLATFORM, replay.header("X-Request-Id")).getFirst().get("details").toString())
                .contains("totp_replayed");
    }

    @Test
    void refreshingAPasswordOnlySessionNeverUpgradesItToMfa() {
        Fixtures.User user = fx.createUser("upgrade");
        String refresh = fx.login(user, null).json().path("refresh_token").asString();
        fx.enrolTotp(user);
        Api.Response refreshed = api.postForm("/api/v1/auth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", refresh), Map.of());
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/users/me", refreshed.json().path("access_token").asString()).json().path("mfa")
                .asBoolean()).isFalse();
    }

    @Test
    void totpEnrolmentNeedsAMatchingCodeAndCannotBeRedoneOnceActive() {
        Fixtures.User user = fx.createUser("enrol");
        String token = fx.token(user);
        Api.Response started = api.post("/api/v1/users/me/totp", token, "{}");
        assertThat(started.json().path("otpauthUri").asString()).startsWith("otpauth://totp/Citadel:");
        Api.Response wrong = api.post("/api/v1/users/me/totp/confirmation", token, Api.json("code", "123456"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.code()).isEqualTo("auth.invalid_totp");
        Api.Response right = api.post("/api/v1/users/me/totp/confirmation", token,
                Api.json("code", fx.currentCode(started.json().path("secret").asString())));
        assertThat(right.status()).isEqualTo(204);
        assertThat(api.post("/api/v1/users/me/totp", token, "{}").status()).isEqualTo(409);
        fx.forget(user);
    }

    @Test
    void repeatedFailuresLockTheAccountWithExponentialBackoff() {
        Fixtures.User user = fx.createUser("locked");
        for (int i = 0; i < 5; i++) {
            assertThat(login(user.username(), "wrong-password-" + i, null).status()).isEqualTo(401);
        }
        Api.Response locked = login(user.username(), user.password(), null);
        assertThat(locked.status()).as("even the right password waits").isEqualTo(429);
        assertThat(audit.byRequest(TenantId.PLATFORM, locked.header("X-Request-Id")))
                .extracting(e -> e.get("action") + "/" + e.get("outcome")).containsExactly("auth.login/denied");
        assertThat(locked.code()).isEqualTo("auth.too_many_attempts");
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 30L);

        clock.advance(Duration.ofSeconds(31));
        assertThat(login(user.username(), "wrong-again", null).status()).isEqualTo(401);
        Api.Response longer = login(user.username(), user.password(), null);
        assertThat(longer.status()).isEqualTo(429);
        assertThat(Long.parseLong(longer.header("Retry-After"))).as("the delay doubled").isBetween(31L, 60L);

        clock.advance(Duration.ofSeconds(61));
        assertThat(login(user.username(), user.password(), null).status()).isEqualTo(200);
    }

    @Test
    void unknownUsernamesLockExactlyLikeRealOnes() {
        String ghost = "ghost-" + Fixtures.unique("x");
        for (int i = 0; i < 5; i++) {
            login(ghost, "wrong-password-" + i, null);
        }
        Fixtures.User real = fx.createUser("real");
        for (int i = 0; i < 5; i++) {
            login(real.username(), "wrong-password-" + i, null);
        }
        Api.Response ghostLocked = login(ghost, "anything-at-all-1", null);
        Api.Response realLocked = login(real.username(), "anything-at-all-1", null);
        assertThat(ghostLocked.status()).isEqualTo(429);
        assertThat(withoutRequestId(ghostLocked)).isEqualTo(withoutRequestId(realLocked));
    }

    @Test
    void manyFailuresFromOneAddressSlowDownEveryAccountFromIt() {
        Fixtures.User victim = fx.createUser("victim");
        for (int i = 0; i < 30; i++) {
            login("spray-" + i + "-" + victim.username(), "Summer2026!!", null);
        }
        assertThat(login(victim.username(), victim.password(), null).status()).isEqualTo(429);
    }

    @Test
    void malformedSignInRequestsGetProblemsNotErrors() {
        assertThat(api.postRaw("/api/v1/auth/login", null, "application/json", "{not json").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/auth/login", null, Map.of("username", "x")).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/auth/login", null, Map.of("username", "x", "password", 42)).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/auth/login", null, Map.of("username", "x", "password", "y".repeat(5000))).status())
                .isEqualTo(400);
        assertThat(api.postRaw("/api/v1/auth/login", null, "text/plain", "hello").status()).isEqualTo(415);
        Api.Response badTotp = api.post("/api/v1/auth/login", null, Map.of("username", "x", "password", "y", "totp", "12ab56"));
        assertThat(badTotp.status()).isEqualTo(400);
        assertThat(badTotp.json().path("errors").get(0).path("field").asString()).isEqualTo("totp");
    }

    private Api.Response login(String username, String password, String totp) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("username", username, "password", password));
        if (totp != null) {
            body.put("totp", totp);
        }
        return api.post("/api/v1/auth/login", null, body);
    }

    private static String withoutRequestId(Api.Response response) {
        return response.status() + response.body().replaceAll("\"requestId\":\"[^\"]+\"", "")
                + List.of(String.valueOf(response.header("Retry-After")).length() > 0);
    }
}
