package dev.citadel.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;

/**
 * Retention over HTTPS: versions past the tenant's period (or their dataset's) are listed by the
 * dry run without being touched, erased by a run with an audit entry each, and the compliance
 * report then shows retention in place; bad settings are refused and another tenant gets 404.
 */
class RetentionTest extends IntegrationTest {

    @Test
    void versionsPastTheirRetentionAreReportedThenErasedAndAudited() {
        String tenant = fx.createTenant("retention");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Fixtures.User scientist = fx.member(tenant, "data-scientist");
        String base = "/api/v1/tenants/" + tenant;
        for (String dataset : List.of("visits", "visits", "scratch")) {
            assertThat(api.postRaw(base + "/datasets/" + dataset + "/versions", fx.token(scientist), "text/csv",
                    ClinicalRecords.csv(30, 1)).status()).isEqualTo(201);
        }
        age(tenant, "visits", 1, Duration.ofDays(400));
        age(tenant, "visits", 2, Duration.ofDays(40));
        age(tenant, "scratch", 1, Duration.ofDays(10));

        Api.Response set = api.put(base + "/retention", fx.token(admin), Map.of("datasetVersionDays", 365,
                "datasets", Map.of("scratch", 7), "auditYears", 6));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().path("datasets").path("scratch").asInt()).isEqualTo(7);

        JsonNode report = api.get(base + "/retention/report", fx.token(admin)).json();
        assertThat(report.path("dryRun").asBoolean()).isTrue();
        assertThat(report.path("versions").toString()).contains("\"dataset\":\"visits\",\"version\":1")
                .contains("\"dataset\":\"scratch\",\"version\":1").doesNotContain("\"version\":2");
        assertThat(api.get(base + "/datasets/visits/versions/1", fx.token(scientist)).status())
                .as("a dry run erases nothing").isEqualTo(200);

        JsonNode run = api.post(base + "/retention/runs", fx.token(admin), "{}").json();
        assertThat(run.path("erased").asInt()).isEqualTo(2);
        assertThat(api.get(base + "/datasets/visits/versions/1", fx.token(scientist)).status()).isEqualTo(404);
        assertThat(api.get(base + "/datasets/scratch/versions/1", fx.token(scientist)).status()).isEqualTo(404);
        assertThat(api.get(base + "/datasets/visits/versions/2", fx.token(scientist)).status()).isEqualTo(200);
        assertThat(api.get(base + "/retention/report", fx.token(admin)).json().path("versions").size()).isZero();
        assertThat(audit.latest(new TenantId(tenant), 10)).extracting(e -> e.get("action"))
                .contains("retention.run", "dataset.version.erase", "retention.settings.put");

        JsonNode shown = api.get(base + "/retention", fx.token(admin)).json();
        assertThat(shown.path("lastRunDeleted").asInt()).isEqualTo(2);
        JsonNode compliance = api.get(base + "/reports/compliance", fx.token(admin)).json();
        JsonNode retention = null;
        for (JsonNode control : compliance.path("controls")) {
            if (control.path("id").asString().equals("retention")) {
                retention = control;
            }
        }
        assertThat(retention.path("status").asString()).isEqualTo("in-place");
        assertThat(retention.path("evidence").path("lastRunErased").asInt()).isEqualTo(2);
    }

    @Test
    void badSettingsAreRefusedAndAnotherTenantGets404() {
        String tenant = fx.createTenant("retention");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        String base = "/api/v1/tenants/" + tenant + "/retention";
        assertThat(api.put(base, fx.token(admin), Map.of("datasetVersionDays", 0)).code()).isEqualTo("retention.invalid");
        assertThat(api.put(base, fx.token(admin), Map.of("datasets", Map.of("Bad Name", 3))).code())
                .isEqualTo("retention.invalid");
        assertThat(api.put(base, fx.token(admin), Map.of("auditYears", 500)).code()).isEqualTo("retention.invalid");
        assertThat(api.put(base, fx.token(fx.member(tenant, "data-scientist")), Map.of("datasetVersionDays", 3)).status())
                .isEqualTo(403);
        String outsider = fx.token(fx.member(fx.createTenant("retention-other"), "tenant-admin"));
        assertThat(api.get(base, outsider).status()).isEqualTo(404);
        assertThat(api.post(base + "/runs", outsider, "{}").status()).isEqualTo(404);
        assertThat(api.get(base + "/report", outsider).status()).isEqualTo(404);
    }

    /** Makes a version look {@code age} old (its record's creation time). */
    private void age(String tenant, String dataset, int version, Duration age) {
        TenantId id = new TenantId(tenant);
        transactions.inTenant(id, () -> jdbc.sql("""
                update dataset_versions set created_at = ? where tenant_id = ? and version = ?
                and dataset_id = (select d.id from datasets d where d.tenant_id = ? and d.name = ?)""")
                .params(OffsetDateTime.ofInstant(clock.instant().minus(age), ZoneOffset.UTC), tenant, version, tenant, dataset)
                .update());
    }
}
