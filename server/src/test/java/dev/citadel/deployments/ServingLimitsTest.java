package dev.citadel.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.deployments.limits.ServingLimits;
import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * Limits on the prediction path, over HTTPS: a principal's and a tenant's rate per minute by plan,
 * the tenant's daily prediction quota, a principal's daily budget on a deployment, and the tenant's
 * bulkhead — each answered 429 with Retry-After, and none of them touching another tenant. The test
 * suite's {@code free} plan allows 5 requests a minute per principal and 8 per tenant
 * ({@code IntegrationTest}).
 */
class ServingLimitsTest extends IntegrationTest {

    @Autowired
    ServingLimits limits;

    @Test
    void principalAndTenantRatesAndTheDailyQuotaAreEnforcedWithRetryAfter() {
        String tenant = Fixtures.unique("free-serving");
        assertThat(api.post("/api/v1/tenants", fx.adminToken(), Api.json("id", tenant, "name", "Free", "region", "eu-west-1",
                "plan", "free", "quotas", Map.of("storageBytes", 1L << 30, "trainingConcurrency", 1,
                        "predictionsPerDay", 12))).status()).isEqualTo(201);
        serving().deployed(tenant, "limited", Map.of());
        String first = predictor(tenant, "app-one");
        String second = predictor(tenant, "app-two");

        for (int i = 0; i < 4; i++) {
            assertThat(predict(tenant, "limited", first, 1).status()).isEqualTo(200);
        }
        assertThat(predict(tenant, "limited", first, 5).status()).isEqualTo(200);
        Api.Response principalLimited = predict(tenant, "limited", first, 1);
        assertThat(principalLimited.status()).isEqualTo(429);
        assertThat(principalLimited.code()).isEqualTo("rate.limited");
        assertThat(principalLimited.body()).contains("principal");
        assertThat(Long.parseLong(principalLimited.header("Retry-After"))).isPositive();

        assertThat(predict(tenant, "limited", second, 3).status()).as("another principal has its own rate").isEqualTo(200);
        Api.Response quota = predict(tenant, "limited", second, 1);
        assertThat(quota.status()).isEqualTo(429);
        assertThat(quota.code()).as("12 instances a day are used up").isEqualTo("prediction.quota_exceeded");
        assertThat(quota.header("Retry-After")).isNotNull();

        String busyTenant = Fixtures.unique("rate-free");
        assertThat(api.post("/api/v1/tenants", fx.adminToken(), Api.json("id", busyTenant, "name", "Free", "region",
                "eu-west-1", "plan", "free")).status()).isEqualTo(201);
        serving().deployed(busyTenant, "busy", Map.of());
        List<String> apps = List.of(predictor(busyTenant, "app-a"), predictor(busyTenant, "app-b"));
        int ok = 0;
        Api.Response last = null;
        for (int i = 0; i < 10; i++) {
            last = predict(busyTenant, "busy", apps.get(i % 2), 1);
            ok += last.status() == 200 ? 1 : 0;
        }
        assertThat(ok).as("8 requests a minute for the whole tenant").isEqualTo(8);
        assertThat(last.code()).isEqualTo("rate.limited");
        assertThat(last.body()).contains("tenant");

        List<String> audited = audit.latest(new TenantId(busyTenant), 30).stream()
                .filter(e -> "prediction".equals(e.get("action"))).map(e -> String.valueOf(e.get("outcome"))).toList();
        assertThat(audited.stream().filter("denied"::equals).count())
                .as("refusals are sampled: one entry per principal a minute, not one per request").isEqualTo(2);
    }

    @Test
    void aDeploymentsDailyBudgetBoundsEachPrincipal() {
        String tenant = fx.createTenant("budget");
        serving().deployed(tenant, "budgeted", Map.of("dailyBudget", 3));
        String app = predictor(tenant, "scraper");
        assertThat(predict(tenant, "budgeted", app, 2).status()).isEqualTo(200);
        Api.Response over = predict(tenant, "budgeted", app, 2);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.code()).isEqualTo("prediction.quota_exceeded");
        assertThat(over.body()).contains("budget");
        assertThat(predict(tenant, "budgeted", predictor(tenant, "other-app"), 3).status())
                .as("each principal has its own budget").isEqualTo(200);
    }

    @Test
    void aTenantWhoseSlotsAreAllBusyGets429AndAnotherTenantIsUnaffected() {
        String tenant = Fixtures.unique("bulkhead");
        assertThat(api.post("/api/v1/tenants", fx.adminToken(), Api.json("id", tenant, "name", "Free", "region",
                "eu-west-1", "plan", "free")).status()).isEqualTo(201);
        serving().deployed(tenant, "crowded", Map.of());
        String other = fx.createTenant("neighbour");
        serving().deployed(other, "calm", Map.of());
        String app = predictor(tenant, "app");
        String neighbour = predictor(other, "neighbour-app");

        TenantId id = new TenantId(tenant);
        try (ServingLimits.Permit one = limits.admit(id, "load-a", "crowded", null, 1);
                ServingLimits.Permit two = limits.admit(id, "load-b", "crowded", null, 1)) {
            Api.Response busy = predict(tenant, "crowded", app, 1);
            assertThat(busy.status()).isEqualTo(429);
            assertThat(busy.code()).isEqualTo("serving.busy");
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            assertThat(predict(other, "calm", neighbour, 1).status()).isEqualTo(200);
        }
        assertThat(predict(tenant, "crowded", app, 1).status()).isEqualTo(200);
    }

    private Api.Response predict(String tenant, String deployment, String token, int instances) {
        Map<String, Object> instance = Map.of("age", 61, "prior_admissions", 2, "glucose", 140.5);
        return api.post("/api/v1/tenants/" + tenant + "/deployments/" + deployment + "/predictions", token,
                Map.of("instances", java.util.Collections.nCopies(instances, instance)));
    }

    private String predictor(String tenant, String name) {
        return serving().predictor(tenant, name);
    }

    private ServingFixtures serving() {
        return new ServingFixtures(api, fx);
    }
}
