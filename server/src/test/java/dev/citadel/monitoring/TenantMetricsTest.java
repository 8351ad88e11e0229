package dev.citadel.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * A tenant sees its own request figures by endpoint group; the platform operator scrapes Prometheus
 * with bounded tags; nobody else sees either.
 */
class TenantMetricsTest extends IntegrationTest {

    @Test
    void aTenantSeesItsOwnRequestsByGroupAndTheOperatorSeesThemInPrometheus() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("metrics");
        String base = "/api/v1/tenants/" + tenant.id();
        String scientist = fx.token(tenant.member("data-scientist"));
        for (int i = 0; i < 5; i++) {
            assertThat(api.get(base + "/datasets", scientist).status()).isEqualTo(200);
        }
        assertThat(api.get(base + "/datasets/nothing-here", scientist).status()).isEqualTo(404);

        Api.Response response = api.get(base + "/metrics", fx.token(tenant.member("auditor")));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode datasets = null;
        for (JsonNode group : response.json().path("requests")) {
            if (group.path("group").asString().equals("datasets")) {
                datasets = group;
            }
        }
        assertThat(datasets).as(response.body()).isNotNull();
        assertThat(datasets.path("count").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(datasets.path("clientErrors").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(datasets.path("serverErrors").asLong()).isZero();
        assertThat(datasets.path("p50Ms").isNumber()).isTrue();
        assertThat(response.json().path("since").asString()).isNotBlank();

        String prometheus = api.get("/actuator/prometheus", fx.adminToken()).body();
        assertThat(prometheus).contains("citadel_requests_seconds_bucket{group=\"datasets\"")
                .contains("citadel_tenant_requests_total{group=\"datasets\",outcome=\"success\",tenant=\"" + tenant.id() + "\"}")
                .doesNotContain("nothing-here");
        assertThat(api.get("/actuator/prometheus", fx.token(tenant.member("tenant-admin"))).status()).isEqualTo(403);
    }

    @Test
    void anotherTenantsAdminGets404() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("metricsown");
        Fixtures.RoleTenant other = fx.tenantWithAllRoles("metricsother");
        assertThat(api.get("/api/v1/tenants/" + tenant.id() + "/metrics", fx.token(other.member("tenant-admin"))).status())
                .isEqualTo(404);
    }
}
