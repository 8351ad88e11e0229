package dev.citadel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.ExternalIdp;
import dev.citadel.support.IntegrationTest;

/**
 * Federation with an external OpenID Connect provider served for real over HTTP on loopback:
 * discovery, JWKS, group → tenant role mapping, and refusal of tokens it must not accept.
 */
class OidcFederationTest extends IntegrationTest {

    private final ExternalIdp idp = ExternalIdp.get();
    private String otherTenant;

    @BeforeEach
    void tenants() {
        for (String id : List.of(ExternalIdp.TRUSTED_TENANT, ExternalIdp.UNTRUSTED_TENANT)) {
            Api.Response response = api.post("/api/v1/tenants", fx.adminToken(),
                    Api.json("id", id, "name", id, "region", "eu-west-1"));
            assertThat(response.status()).isIn(201, 409);
        }
        otherTenant = fx.createTenant("not-mapped");
    }

    @Test
    void aTrustedProvidersTokenGrantsTheMappedRoleInTheMappedTenantOnly() {
        String token = idp.token("dr-who", List.of(ExternalIdp.SCIENTIST_GROUP, "unrelated-group"), clock.instant(), c -> { });
        Api.Response tenant = api.get("/api/v1/tenants/" + ExternalIdp.TRUSTED_TENANT, token);
        assertThat(tenant.status()).as(tenant.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/tenants/" + ExternalIdp.TRUSTED_TENANT + "/members", token).status())
                .as("data-scientist may not manage members").isEqualTo(403);
        assertThat(api.get("/api/v1/tenants/" + otherTenant, token).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/tenants/" + ExternalIdp.UNTRUSTED_TENANT, token).status()).isEqualTo(404);
        Api.Response me = api.get("/api/v1/users/me/tenants", token);
        assertThat(me.json().get(0).path("tenant").asString()).isEqualTo(ExternalIdp.TRUSTED_TENANT);
    }

    @Test
    void aGroupThatMapsToATenantTheProviderIsNotTrustedForRejectsTheToken() {
        String token = idp.token("mallory", List.of(ExternalIdp.SCIENTIST_GROUP,
                "citadel:" + ExternalIdp.UNTRUSTED_TENANT + ":tenant-admin"), clock.instant(), c -> { });
        Api.Response response = api.get("/api/v1/tenants/" + ExternalIdp.TRUSTED_TENANT, token);
        assertThat(response.status()).isEqualTo(401);
        assertThat(audit.byRequest(TenantId.PLATFORM, response.header("X-Request-Id")).getFirst().get("details").toString())
                .contains("untrusted_tenant");
    }

    @Test
    void genericGroupsWork_forTrustedTenants() {
        String token = idp.token("auditor-1", List.of("citadel:" + ExternalIdp.TRUSTED_TENANT + ":auditor"),
                clock.instant(), c -> { });
        assertThat(api.get("/api/v1/tenants/" + ExternalIdp.TRUSTED_TENANT + "/audit", token).status()).isEqualTo(200);
    }

    @Test
    void tenantAdminFromTheProviderNeedsAMultiFactorSession() {
        String single = idp.token("admin-1", List.of(ExternalIdp.ADMIN_GROUP), clock.instant(), c -> c.claim("amr", List.of("pwd")));
        String multi = idp.token("admin-1", List.of(ExternalIdp.ADMIN_GROUP), clock.instant(),
                c -> c.claim("amr", List.of("pwd", "mfa")));
        String members = "/api/v1/tenants/" + ExternalIdp.TRUSTED_TENANT + "/members";
        assertThat(api.get(members, single).status()).isEqualTo(403);
        assertThat(api.get(members, multi).status()).isEqualTo(200);
    }

    @Test
    void tokensWithTheWrongAudienceIssuerOrLifetimeAreRejected() {
        List<String> groups = List.of(ExternalIdp.SCIENTIST_GROUP);
        String path = "/api/v1/tenants/" + ExternalIdp.TRUSTED_TENANT;
        assertThat(api.get(path, idp.token("a", groups, clock.instant(), c -> c.audience("some-other-client"))).status())
                .as("an ID token for another client").isEqualTo(401);
        assertThat(api.get(path, idp.token("a", groups, clock.instant(), c -> c.issuer(idp.issuer() + "-evil"))).status())
                .isEqualTo(401);
        assertThat(api.get(path, idp.token("a", groups, clock.instant(),
                c -> c.expirationTime(Date.from(clock.instant().minusSeconds(300))))).status()).isEqualTo(401);
        String valid = idp.token("a", groups, clock.instant(), c -> { });
        String tampered = valid.substring(0, valid.lastIndexOf('.') - 4) + "AAAA" + valid.substring(valid.lastIndexOf('.'));
        assertThat(api.get(path, tampered).status()).isEqualTo(401);
    }
}
