package dev.citadel.monitoring.anomalies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.IntegrationTest;

/** A burst of failed authentications from one address is a security event in the platform's trail. */
class AnomalyTest extends IntegrationTest {

    @Test
    void aBurstOfBadTokensFromOneAddressIsASecurityEvent() {
        for (int i = 0; i < 45; i++) {
            assertThat(api.get("/api/v1/users/me", "not-a-token-" + i).status()).isEqualTo(401);
        }
        List<Map<String, Object>> events = transactions.inTenant(TenantId.PLATFORM, () -> jdbc.sql(
                        "select target_id, details from audit_events where tenant_id = ? and action = 'security.anomaly'")
                .param(TenantId.PLATFORM.value()).query().listOfRows());
        assertThat(events).anySatisfy(event -> {
            assertThat(event.get("details").toString()).contains("\"signal\":\"auth-failures\"");
            assertThat(event.get("target_id")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        });
        assertThat(events).allSatisfy(event -> assertThat(event.get("details").toString()).doesNotContain("not-a-token"));
    }
}
