package dev.citadel.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.citadel.compliance.reports.AccessReview;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.tenancy.Members;
import tools.jackson.databind.JsonNode;

/**
 * The access review and the compliance report over HTTPS: every principal with its flags, every
 * control with a computed status and evidence (the audit chain verified, built-in policies counted,
 * retention honestly not configured), a printable page with nothing executable, auditors reading,
 * viewers refused, another tenant 404. The review's rules are also checked on their own.
 */
class ReportsTest extends IntegrationTest {

    @Test
    void theAccessReviewFlagsWhatAReviewerShouldLookAt() {
        String tenant = fx.createTenant("reports");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        fx.member(tenant, "auditor", "data-steward");
        fx.member(tenant, "data-scientist");
        assertThat(api.post("/api/v1/tenants/" + tenant + "/service-accounts", fx.token(admin),
                Api.json("name", "scoring-app", "roles", List.of("predictor", "data-scientist"))).status()).isEqualTo(201);

        JsonNode review = api.get("/api/v1/tenants/" + tenant + "/reports/access-review", fx.token(admin)).json();
        assertThat(review.path("principals").asInt()).isEqualTo(4);
        Map<String, String> flags = new java.util.HashMap<>();
        for (JsonNode entry : review.path("entries")) {
            flags.put(entry.path("name").asString().replaceAll("-\\d+-[a-z0-9]+$", ""), entry.path("flags").toString());
        }
        assertThat(flags.get("scoring-app")).contains("over-privileged").contains("data-scientist");
        assertThat(flags.get("auditor-dsteward")).contains("separation of duties").contains("no MFA");
        assertThat(flags.get("dscientist")).contains("no MFA");
        assertThat(flags.get("tadmin")).isEqualTo("[]");
        assertThat(review.path("flagged").asInt()).isEqualTo(3);
    }

    @Test
    void theComplianceReportShowsEveryControlWithEvidenceAndNeverClaimsWhatItCannotShow() {
        String tenant = fx.createTenant("reports");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Fixtures.User auditor = fx.member(tenant, "auditor");
        String base = "/api/v1/tenants/" + tenant + "/reports/compliance";

        Api.Response response = api.get(base, fx.token(auditor));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.path("region").asString()).isEqualTo("eu-west-1");
        Map<String, JsonNode> controls = new java.util.HashMap<>();
        report.path("controls").forEach(c -> controls.put(c.path("id").asString(), c));
        assertThat(controls.keySet()).containsExactlyInAnyOrder("encryption-at-rest", "key-rotation",
                "encryption-in-transit", "mfa", "least-privilege", "audit-trail", "pseudonymisation", "policies-as-code",
                "model-integrity", "data-residency", "retention", "erasure");
        JsonNode auditTrail = controls.get("audit-trail");
        assertThat(auditTrail.path("status").asString()).isEqualTo("in-place");
        assertThat(auditTrail.path("evidence").path("valid").asBoolean()).isTrue();
        assertThat(auditTrail.path("evidence").path("entries").asLong()).isPositive();
        assertThat(auditTrail.path("mappings").path("hipaa").toString()).contains("164.312(b)");
        assertThat(controls.get("mfa").path("status").asString()).as("the auditor has no TOTP").isEqualTo("attention");
        assertThat(controls.get("policies-as-code").path("evidence").path("policies").toString())
                .contains("platform:residency-deploy");
        assertThat(controls.get("retention").path("status").asString()).isEqualTo("not-configured");
        assertThat(controls.get("erasure").path("mappings").path("gdpr").toString()).contains("Art. 17");
        assertThat(controls.get("encryption-at-rest").path("evidence").path("primaryKeys").size()).isPositive();
        assertThat(report.path("statusCounts").path("not-configured").asLong()).isPositive();

        Api.Response page = api.get(base + "?format=html", fx.token(admin));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<table").contains("Tamper-evident audit trail").contains("§164.312(b)")
                .doesNotContain("<script").doesNotContain("style=");
        assertThat(api.get(base + "?format=pdf", fx.token(admin)).status()).isEqualTo(400);

        assertThat(api.get(base, fx.token(fx.member(tenant, "viewer"))).status()).isEqualTo(403);
        String outsider = fx.token(fx.member(fx.createTenant("reports-other"), "tenant-admin"));
        assertThat(api.get(base, outsider).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/tenants/" + tenant + "/reports/access-review", outsider).status()).isEqualTo(404);
        assertThat(audit.latest(new dev.citadel.platform.TenantId(tenant), 10)).extracting(e -> e.get("action"))
                .contains("report.read");
    }

    @Test
    void staleAccountsAndOldSecretsAreFlaggedByAge() {
        Instant now = Instant.parse("2026-11-23T00:00:00Z");
        AccessReview.Thresholds thresholds = new AccessReview.Thresholds(Duration.ofDays(90), Duration.ofDays(90));
        AccessReview.Report report = AccessReview.of("t", List.of(
                new Members.AccessEntry("idle", "user", Set.of("viewer"), true, false, now.minus(Duration.ofDays(400)),
                        now.minus(Duration.ofDays(120)), null),
                new Members.AccessEntry("never", "user", Set.of("viewer"), true, false, now.minus(Duration.ofDays(100)),
                        null, null),
                new Members.AccessEntry("fresh", "user", Set.of("viewer"), true, false, now.minus(Duration.ofDays(100)),
                        now.minus(Duration.ofDays(1)), null),
                new Members.AccessEntry("app", "service-account", Set.of("predictor"), null, false,
                        now.minus(Duration.ofDays(200)), now, now.minus(Duration.ofDays(91))),
                new Members.AccessEntry("gone", "user", Set.of("viewer"), true, true, now, null, null)), thresholds, now);
        Map<String, List<String>> flags = new java.util.HashMap<>();
        report.entries().forEach(e -> flags.put(e.name(), e.flags()));
        assertThat(flags.get("idle")).containsExactly("stale: not used for 120 days");
        assertThat(flags.get("never")).containsExactly("stale: never used since it was created 100 days ago");
        assertThat(flags.get("fresh")).isEmpty();
        assertThat(flags.get("app")).containsExactly("secret 91 days old: rotate it");
        assertThat(flags.get("gone")).containsExactly("disabled but still a member: remove it");
    }
}
