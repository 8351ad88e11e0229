package dev.citadel.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.OtlpReceiver;

/**
 * Requests are traced and exported over OTLP/HTTP to a real receiver (the suite turns export on);
 * spans name the route template, never the tenant's values, tokens or query strings. Out of the box
 * export is off.
 */
class TracingTest extends IntegrationTest {

    @Test
    void requestsAreExportedAsSpansThatCarryNoSecretsOrValues() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("traced");
        String token = fx.token(tenant.member("data-scientist"));
        String marker = "needle-" + System.nanoTime();
        api.get("/api/v1/tenants/" + tenant.id() + "/datasets?probe=" + marker, token);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(OtlpReceiver.get().spans())
                .anySatisfy(span -> {
                    assertThat(span.kind()).isEqualTo("SPAN_KIND_SERVER");
                    assertThat(span.attributes()).containsEntry("uri", "/api/v1/tenants/{tenant}/datasets");
                }));
        assertThat(OtlpReceiver.get().spans()).allSatisfy(span -> assertThat(span.attributes().values())
                .noneMatch(v -> v.contains(token) || v.contains(marker)));
    }

    @Test
    void exportIsOffByDefault() throws IOException {
        PropertySource<?> yaml = new YamlPropertySourceLoader().load("application",
                new ClassPathResource("application.yml")).getFirst();
        assertThat(String.valueOf(yaml.getProperty("management.tracing.export.enabled")))
                .isEqualTo("${CITADEL_TRACING_ENABLED:false}");
        assertThat(String.valueOf(yaml.getProperty("management.otlp.metrics.export.enabled")))
                .as("the starter would push metrics to localhost:4318 every minute")
                .isEqualTo("${CITADEL_OTLP_METRICS_ENABLED:false}");
    }
}
