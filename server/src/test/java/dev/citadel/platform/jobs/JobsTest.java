package dev.citadel.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/** Jobs run once, report their outcome, fail without leaking internals, and never stall the queue. */
class JobsTest extends IntegrationTest {

    @Autowired
    Jobs jobs;

    @Test
    void aFailingJobFailsCleanlyAndTheNextJobStillRuns() {
        TenantId tenant = new TenantId(fx.createTenant("jobs"));
        JobView failing = jobs.submit(tenant, "test.fail", Map.of());
        JobView echo = jobs.submit(tenant, "test.echo", Map.of("answer", "42"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> jobs.get(tenant, failing.id()).state().equals("failed")
                        && jobs.get(tenant, echo.id()).state().equals("succeeded"));
        JobView failed = jobs.get(tenant, failing.id());
        assertThat(failed.error()).contains("internal error").doesNotContain("secret internal detail");
        assertThat(failed.percent()).isEqualTo(40);
        assertThat(failed.finishedAt()).isNotNull();
        assertThat(jobs.get(tenant, echo.id()).result()).containsEntry("answer", "42");
        assertThat(jobs.get(tenant, echo.id()).percent()).isEqualTo(100);
    }

    @Test
    void aTenantWithADeepQueueDoesNotKeepAnotherTenantsJobWaiting() {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        GATE.set(gate);
        try {
            TenantId busy = new TenantId(fx.createTenant("deep-queue"));
            TenantId other = new TenantId(fx.createTenant("one-job"));
            java.util.List<JobView> flood = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                flood.add(jobs.submit(busy, "test.gated", Map.of()));
            }
            JobView single = jobs.submit(other, "test.gated", Map.of());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> jobs.get(other, single.id()).state().equals("running"));
            long running = flood.stream().filter(j -> jobs.get(busy, j.id()).state().equals("running")).count();
            assertThat(running).as("the busy tenant runs at most its one-job limit").isEqualTo(1);
        } finally {
            gate.countDown();
        }
    }

    @Test
    void aJobIsVisibleOnlyInItsOwnTenant() {
        String a = fx.createTenant("jobs-a");
        String b = fx.createTenant("jobs-b");
        JobView job = jobs.submit(new TenantId(a), "test.echo", Map.of());
        Fixtures.User viewerA = fx.member(a, "viewer");
        Fixtures.User adminB = fx.member(b, "tenant-admin");
        assertThat(api.get("/api/v1/tenants/" + a + "/jobs/" + job.id(), fx.token(viewerA)).status()).isEqualTo(200);
        Api.Response outsider = api.get("/api/v1/tenants/" + a + "/jobs/" + job.id(), fx.token(adminB));
        assertThat(outsider.status()).isEqualTo(404);
        assertThat(outsider.code()).isEqualTo("tenant.not_found");
        Api.Response wrongTenantPath = api.get("/api/v1/tenants/" + b + "/jobs/" + job.id(), fx.token(adminB));
        assertThat(wrongTenantPath.status()).isEqualTo(404);
        assertThat(wrongTenantPath.code()).isEqualTo("job.not_found");
    }
}
