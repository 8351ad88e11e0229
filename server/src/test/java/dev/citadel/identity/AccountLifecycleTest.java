package dev.citadel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/** Password change, TOTP reset for a lost device, disabling and re-enabling accounts. */
class AccountLifecycleTest extends IntegrationTest {

    @Test
    void changingThePasswordNeedsTheCurrentOneMeetsThePolicyAndEndsEverySession() {
        Fixtures.User user = fx.createUser("changer");
        Api.Response session = fx.login(user, null);
        String token = session.json().path("access_token").asString();
        String refresh = session.json().path("refresh_token").asString();

        Api.Response wrong = api.post("/api/v1/users/me/password", token,
                Api.json("currentPassword", "not-my-password-at-all", "newPassword", "a-brand-new-long-passphrase"));
        assertThat(wrong.status()).isEqualTo(401);
        Api.Response weak = api.post("/api/v1/users/me/password", token,
                Api.json("currentPassword", user.password(), "newPassword", "password1234"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.code()).isEqualTo("user.weak_password");
        Api.Response ok = api.post("/api/v1/users/me/password", token,
                Api.json("currentPassword", user.password(), "newPassword", "a-brand-new-long-passphrase"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(204);

        assertThat(api.get("/api/v1/users/me", token).status()).isEqualTo(401);
        assertThat(api.postForm("/api/v1/auth/token", Map.of("grant_type", "refresh_token", "refresh_token", refresh),
                Map.of()).status()).isEqualTo(400);
        assertThat(fx.login(user, null).status()).isEqualTo(401);
        assertThat(fx.login(new Fixtures.User(user.username(), "a-brand-new-long-passphrase"), null).status()).isEqualTo(200);
        fx.forget(user);
    }

    @Test
    void aPlatformAdminResetsALostTotpAndTheUserEnrolsAgain() {
        String tenant = fx.createTenant("lostdevice");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        String members = "/api/v1/tenants/" + tenant + "/members";
        assertThat(api.get(members, fx.token(admin)).status()).isEqualTo(200);

        Api.Response reset = api.post("/api/v1/users/" + admin.username() + "/totp-reset", fx.adminToken(), "{}");
        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
        assertThat(reset.json().path("mfaEnabled").asBoolean()).isFalse();

        String passwordOnly = fx.login(admin, null).json().path("access_token").asString();
        assertThat(api.get(members, passwordOnly).status()).as("admin needs MFA again").isEqualTo(403);
        fx.enrolTotp(admin);
        assertThat(api.get(members, fx.token(admin)).status()).isEqualTo(200);
    }

    @Test
    void aDisabledUserCannotSignInUntilReEnabledAndDisappearsForTenantAdmins() {
        String tenant = fx.createTenant("leavers");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Fixtures.User user = fx.createUser("leaver");
        assertThat(api.post("/api/v1/users/" + user.username() + "/disablement", fx.adminToken(), "{}").status()).isEqualTo(200);
        assertThat(fx.login(user, null).status()).isEqualTo(401);
        Api.Response add = api.put("/api/v1/tenants/" + tenant + "/members/" + user.username(), fx.token(admin),
                Api.json("roles", List.of("viewer")));
        assertThat(add.status()).isEqualTo(404);
        assertThat(add.code()).isEqualTo("user.not_found");

        assertThat(api.post("/api/v1/users/" + user.username() + "/enablement", fx.adminToken(), "{}").status()).isEqualTo(200);
        assertThat(fx.login(user, null).status()).isEqualTo(200);
    }

    @Test
    void oversizedJsonBodiesAreRefusedBeforeParsing() {
        String big = "{\"username\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"password\":\"y\"}";
        Api.Response response = api.postRaw("/api/v1/auth/login", null, "application/json", big);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("request.too_large");
    }
}
