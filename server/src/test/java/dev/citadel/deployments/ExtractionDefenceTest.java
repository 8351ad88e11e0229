package dev.citadel.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;

/**
 * Extraction-like behaviour is noticed per principal: a systematic one-feature sweep and synthetic
 * rows far outside the training data each raise a security event with evidence (never values); a
 * deployment set to block then refuses that principal, and only that principal.
 */
class ExtractionDefenceTest extends IntegrationTest {

    @Test
    void aFeatureSweepIsReportedAndBlocksTheSweeper() {
        String tenant = fx.createTenant("extraction");
        serving().deployed(tenant, "guarded", Map.of("extraction", "block"));
        String sweeper = predictor(tenant, "sweeper");
        String honest = predictor(tenant, "honest");
        List<Map<String, Object>> sweep = new ArrayList<>();
        for (int age = 20; age < 90; age++) {
            sweep.add(Map.of("age", age, "prior_admissions", 2, "glucose", 131.5));
        }
        assertThat(predict(tenant, "guarded", sweeper, sweep).status()).isEqualTo(200);

        Map<String, Object> event = audit.latest(new TenantId(tenant), 20).stream()
                .filter(e -> "security.extraction_suspected".equals(e.get("action"))).findFirst().orElseThrow();
        String details = String.valueOf(event.get("details"));
        assertThat(details).contains("\"signal\":\"feature-sweep\"", "\"action\":\"block\"", "service-account:");
        assertThat(details).doesNotContain("131.5");

        Api.Response blocked = predict(tenant, "guarded", sweeper, List.of(Map.of("age", 50, "prior_admissions", 1,
                "glucose", 100)));
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.code()).isEqualTo("access.denied");
        assertThat(predict(tenant, "guarded", honest, List.of(Map.of("age", 50, "prior_admissions", 1, "glucose", 100)))
                .status()).as("another principal is unaffected").isEqualTo(200);
    }

    @Test
    void syntheticRowsFarOutsideTheTrainingDataAreReportedAndAlertOnlyKeepsServing() {
        String tenant = fx.createTenant("ood");
        serving().deployed(tenant, "watched", Map.of("extraction", "alert"));
        String app = predictor(tenant, "prober");
        List<Map<String, Object>> synthetic = new ArrayList<>();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 60; i++) {
            synthetic.add(Map.of("age", 20 + random.nextInt(70), "prior_admissions", random.nextInt(5),
                    "glucose", 5_000 + random.nextInt(5_000)));
        }
        assertThat(predict(tenant, "watched", app, synthetic).status()).isEqualTo(200);
        List<String> signals = audit.latest(new TenantId(tenant), 20).stream()
                .filter(e -> "security.extraction_suspected".equals(e.get("action")))
                .map(e -> String.valueOf(e.get("details"))).toList();
        assertThat(signals).anyMatch(d -> d.contains("\"signal\":\"out-of-distribution\""));
        assertThat(predict(tenant, "watched", app, synthetic.subList(0, 1)).status()).isEqualTo(200);
    }

    private Api.Response predict(String tenant, String deployment, String token, List<Map<String, Object>> instances) {
        return serving().predict(tenant, deployment, token, instances);
    }

    private String predictor(String tenant, String name) {
        return serving().predictor(tenant, name);
    }

    private ServingFixtures serving() {
        return new ServingFixtures(api, fx);
    }
}
