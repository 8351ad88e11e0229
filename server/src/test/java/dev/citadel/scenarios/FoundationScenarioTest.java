package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * The foundation's "done means": the bootstrap admin signs in with TOTP, creates a tenant and a
 * user, makes the user a data-scientist; the user signs in, sees its tenant and gets 404 on another.
 */
class FoundationScenarioTest extends IntegrationTest {

    @Test
    void bootstrapAdminOnboardsAScientistWhoIsConfinedToItsTenant() {
        String admin = fx.adminToken();

        String hospital = Fixtures.unique("hospital");
        Api.Response created = api.post("/api/v1/tenants", admin,
                Api.json("id", hospital, "name", "St. Example Hospital", "region", "eu-west-1"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("quotas").path("trainingConcurrency").asInt()).isEqualTo(2);
        String otherTenant = fx.createTenant("other");

        Api.Response user = api.post("/api/v1/users", admin,
                Api.json("username", Fixtures.unique("alice"), "password", "purple-elephant-dances-42-times"));
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        String alice = user.json().path("username").asString();

        Api.Response member = api.put("/api/v1/tenants/" + hospital + "/members/" + alice, admin,
                Api.json("roles", List.of("data-scientist")));
        assertThat(member.status()).as(member.toString()).isEqualTo(200);
        assertThat(member.json().path("roles").get(0).asString()).isEqualTo("data-scientist");

        Api.Response login = api.post("/api/v1/auth/login", null,
                Api.json("username", alice, "password", "purple-elephant-dances-42-times"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(login.json().path("expires_in").asLong()).isEqualTo(900);
        String token = login.json().path("access_token").asString();

        assertThat(api.get("/api/v1/tenants/" + hospital, token).status()).isEqualTo(200);
        Api.Response elsewhere = api.get("/api/v1/tenants/" + otherTenant, token);
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.code()).isEqualTo("tenant.not_found");
        Api.Response nowhere = api.get("/api/v1/tenants/no-such-tenant-at-all", token);
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(stripRequestId(nowhere.body())).isEqualTo(stripRequestId(elsewhere.body())
                .replace(otherTenant, "no-such-tenant-at-all"));
    }

    private static String stripRequestId(String body) {
        return body.replaceAll("\"requestId\":\"[^\"]+\"", "");
    }
}
