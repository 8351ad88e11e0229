package dev.citadel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import dev.citadel.platform.TenantId;
import dev.citadel.support.IntegrationTest;

/**
 * The audit → monitoring hook: a {@code security.*} entry is announced once its transaction has
 * committed — never before, never when it rolls back — and other entries are not announced at all.
 */
@RecordApplicationEvents
class SecurityEventHookTest extends IntegrationTest {

    @Autowired
    AuditLog log;

    @Autowired
    ApplicationEvents events;

    @Test
    void aCommittedSecurityEventIsAnnouncedAfterCommitWithItsPlaceInTheTrail() {
        TenantId tenant = new TenantId(fx.createTenant("hook"));
        long seq = transactions.inNewTenantTransaction(tenant, () -> {
            log.append(event(tenant, "dataset.put"));
            long appended = log.append(event(tenant, "security.test_probe"));
            assertThat(announced(tenant)).as("nothing before commit").isEmpty();
            return appended;
        });
        List<SecurityEventRecorded> announced = announced(tenant);
        assertThat(announced).hasSize(1);
        SecurityEventRecorded recorded = announced.getFirst();
        assertThat(recorded.action()).isEqualTo("security.test_probe");
        assertThat(recorded.seq()).isEqualTo(seq);
        assertThat(recorded.targetType()).isEqualTo("dataset");
        assertThat(recorded.targetId()).isEqualTo("d-1");
        assertThat(recorded.details()).containsEntry("reason", "probe");
        String eventId = transactions.inTenant(tenant, () -> jdbc.sql(
                        "select event_id from audit_events where tenant_id = ? and seq = ?")
                .param(tenant.value()).param(seq).query((rs, n) -> rs.getObject(1).toString()).single());
        assertThat(recorded.eventId().toString()).isEqualTo(eventId);
    }

    @Test
    void aRolledBackSecurityEventIsNeverAnnounced() {
        TenantId tenant = new TenantId(fx.createTenant("hook-rollback"));
        assertThatThrownBy(() -> transactions.inNewTenantTransaction(tenant, () -> {
            log.append(event(tenant, "security.test_probe"));
            throw new IllegalStateException("the change fails after its evidence was appended");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(announced(tenant)).isEmpty();
    }

    private List<SecurityEventRecorded> announced(TenantId tenant) {
        return events.stream(SecurityEventRecorded.class).filter(e -> e.tenant().equals(tenant)).toList();
    }

    private static AuditEvent event(TenantId tenant, String action) {
        return new AuditEvent(tenant, "tester", action, "dataset", "d-1", AuditOutcome.FAILURE,
                new TreeMap<>(Map.of("reason", "probe")));
    }
}
