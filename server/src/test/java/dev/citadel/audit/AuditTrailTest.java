package dev.citadel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * Audit entries are written with the change, in the tenant's own chain, each linked to the previous
 * by hash; a failing append fails the request (503) and the change does not happen.
 */
class AuditTrailTest extends IntegrationTest {

    @AfterEach
    void auditWorksAgain() {
        auditLog.failAppends(false);
    }

    @Test
    void aMembershipChangeIsRecordedWithWhoWhatWhereAndOutcome() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("audited");
        Fixtures.User newcomer = fx.createUser("newcomer");
        Api.Response response = api.put("/api/v1/tenants/" + tenant.id() + "/members/" + newcomer.username(),
                fx.token(tenant.member("tenant-admin")), Api.json("roles", List.of("viewer")));
        assertThat(response.status()).isEqualTo(200);

        List<Map<String, Object>> entries = audit.byRequest(new TenantId(tenant.id()), response.header("X-Request-Id"));
        assertThat(entries).hasSize(1);
        Map<String, Object> entry = entries.getFirst();
        assertThat(entry.get("action")).isEqualTo("member.put");
        assertThat(entry.get("outcome")).isEqualTo("success");
        assertThat((String) entry.get("actor")).startsWith("user:");
        assertThat(entry.get("target_type")).isEqualTo("user");
        assertThat(entry.get("details").toString()).contains("viewer").doesNotContain(newcomer.password());

        Api.Response trail = api.get("/api/v1/tenants/" + tenant.id() + "/audit?limit=5", fx.token(tenant.member("auditor")));
        assertThat(trail.status()).isEqualTo(200);
        assertThat(trail.json().path("items").get(0).path("action").asString()).isEqualTo("member.put");
        assertThat(trail.json().path("items").get(0).path("sourceAddress").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void deniedRequestsOfMembersLandInTheTenantsTrail() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("denied");
        Api.Response denied = api.get("/api/v1/tenants/" + tenant.id() + "/members", fx.token(tenant.member("viewer")));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(audit.byRequest(new TenantId(tenant.id()), denied.header("X-Request-Id")))
                .extracting(e -> e.get("action") + "/" + e.get("outcome")).containsExactly("access.denied/denied");
    }

    @Test
    void outsidersProbesLandInThePlatformTrailNotTheTenants() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("probed");
        String outsider = fx.token(fx.createUser("prober"));
        Api.Response probe = api.get("/api/v1/tenants/" + tenant.id() + "/audit", outsider);
        assertThat(probe.status()).isEqualTo(404);
        assertThat(audit.byRequest(new TenantId(tenant.id()), probe.header("X-Request-Id"))).isEmpty();
        assertThat(audit.byRequest(TenantId.PLATFORM, probe.header("X-Request-Id")))
                .extracting(e -> e.get("action")).containsExactly("access.denied");
    }

    @Test
    void eachEntryIsHashChainedToItsPredecessor() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("chained");
        List<AuditEntry> entries = AuditChains.read(jdbc, transactions, new TenantId(tenant.id()));
        assertThat(entries).hasSizeGreaterThan(7);
        AuditChains.assertIntact(entries);
    }

    @Test
    void whenTheAuditWriteFailsTheChangeIsRolledBackAndTheClientGets503() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("failclosed");
        Fixtures.User newcomer = fx.createUser("unrecorded");
        String admin = fx.token(tenant.member("tenant-admin"));
        auditLog.failAppends(true);
        Api.Response response = api.put("/api/v1/tenants/" + tenant.id() + "/members/" + newcomer.username(), admin,
                Api.json("roles", List.of("viewer")));
        auditLog.failAppends(false);
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.code()).isEqualTo("audit.unavailable");
        assertThat(api.get("/api/v1/tenants/" + tenant.id() + "/members", admin).body())
                .doesNotContain(newcomer.username());
    }

    @Test
    void auditReadsArePagedNewestFirst() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("paged");
        String auditor = fx.token(tenant.member("auditor"));
        Api.Response first = api.get("/api/v1/tenants/" + tenant.id() + "/audit?limit=3", auditor);
        assertThat(first.json().path("items").size()).isEqualTo(3);
        long next = first.json().path("nextBefore").asLong();
        Api.Response second = api.get("/api/v1/tenants/" + tenant.id() + "/audit?limit=3&before=" + next, auditor);
        assertThat(second.json().path("items").get(0).path("seq").asLong()).isEqualTo(next - 1);
        assertThat(api.get("/api/v1/tenants/" + tenant.id() + "/audit?limit=501", auditor).status()).isEqualTo(400);
        assertThat(Instant.parse(first.json().path("items").get(0).path("time").asString())).isNotNull();
    }
}
