package dev.citadel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.auditverifier.AuditKeys;
import dev.citadel.auditverifier.SignedCheckpoint;
import dev.citadel.platform.TenantId;

/**
 * Someone with database access rewrites a tenant's trail; verification finds each kind of tamper
 * and names the first entry that can no longer be trusted. The trail has 24 entries, checkpoints
 * at 12 and 20, and a witness copy of the latest checkpoint in the object store.
 */
class AuditTamperTest extends dev.citadel.support.IntegrationTest {

    @Autowired
    private AuditLog log;

    @Autowired
    private AuditCheckpoints checkpoints;

    @Autowired
    private AuditTrail trail;

    private TenantId tenant;
    private Dba dba;

    @BeforeEach
    void trail() {
        tenant = new TenantId("tamper-" + UUID.randomUUID().toString().substring(0, 8));
        dba = new Dba(jdbc);
        append(12);
        assertThat(checkpoints.checkpoint(tenant)).get().extracting(SignedCheckpoint::size).isEqualTo(12L);
        append(8);
        assertThat(checkpoints.checkpoint(tenant)).get().extracting(SignedCheckpoint::size).isEqualTo(20L);
        append(4);
    }

    private void append(int count) {
        List<AuditLog.Origined> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new AuditLog.Origined(new AuditEvent(tenant, "user:someone", "dataset.read", "dataset",
                    "ds-" + i, AuditOutcome.SUCCESS, new TreeMap<>(Map.of("rows", String.valueOf(i)))),
                    new dev.citadel.platform.web.RequestMetadata("req-" + i, "10.0.0.1")));
        }
        transactions.inNewTenantTransaction(tenant, () -> {
            log.appendAll(events);
            return null;
        });
    }

    private AuditTrail.Verification verification() {
        return trail.verify(tenant);
    }

    @Test
    void anUntamperedTrailVerifiesWithItsLatestCheckpoint() {
        AuditTrail.Verification result = verification();
        assertThat(result.valid()).as(result.problem()).isTrue();
        assertThat(result.entries()).isEqualTo(24);
        assertThat(result.latestCheckpoint().size()).isEqualTo(20);
        assertThat(result.firstInvalidEntry()).isNull();
        assertThat(checkpoints.witness(tenant)).get().extracting(SignedCheckpoint::size).isEqualTo(20L);
    }

    @ParameterizedTest(name = "a field of entry {0} modified")
    @ValueSource(longs = {1, 7, 12, 20, 24})
    void aModifiedFieldIsReportedAtItsEntry(long seq) {
        dba.execute("update audit_events set actor = 'user:somebody-else' where tenant_id = ? and seq = ?",
                tenant.value(), seq);
        assertInvalidAt(seq, "content");
    }

    @ParameterizedTest(name = "entry {0} deleted")
    @ValueSource(longs = {1, 7, 12, 24})
    void aDeletedEntryIsReportedAtItsPlace(long seq) {
        dba.execute("delete from audit_events where tenant_id = ? and seq = ?", tenant.value(), seq);
        assertInvalidAt(seq, null);
    }

    @ParameterizedTest(name = "entries {0} and the next swapped")
    @ValueSource(longs = {1, 7, 12, 23})
    void twoSwappedEntriesAreReportedAtTheFirst(long seq) {
        dba.execute("update audit_events set seq = -1 where tenant_id = ? and seq = ?", tenant.value(), seq);
        dba.execute("update audit_events set seq = ? where tenant_id = ? and seq = ?", seq, tenant.value(), seq + 1);
        dba.execute("update audit_events set seq = ? where tenant_id = ? and seq = -1", seq + 1, tenant.value());
        assertInvalidAt(seq, null);
    }

    @Test
    void aForgedEntryInsertedWithACorrectHashBreaksTheChainAtTheEntryAfterIt() {
        // shift entries 8… up by one and put a forged entry 8 that links correctly to entry 7
        for (long seq = 24; seq >= 8; seq--) {
            dba.execute("update audit_events set seq = ? where tenant_id = ? and seq = ?", seq + 1, tenant.value(), seq);
        }
        AuditEntry seven = entry(7);
        AuditEntry forged = new AuditEntry(tenant.value(), 8, UUID.randomUUID(), seven.occurredAt(), "user:intruder",
                "dataset.read", "dataset", "ds-x", AuditOutcome.SUCCESS, "req-x", "10.9.9.9", new TreeMap<>(),
                seven.hash(), null);
        byte[] hash = AuditCodec.canonicalEntry(forged).chainHash(seven.hash());
        dba.execute("""
                insert into audit_events (tenant_id, seq, event_id, occurred_at, actor, action, target_type, target_id,
                    outcome, request_id, source_address, details, prev_hash, hash)
                values (?, 8, ?, ?, 'user:intruder', 'dataset.read', 'dataset', 'ds-x', 'success', 'req-x', '10.9.9.9',
                    '{}', ?, ?)""", tenant.value(), forged.eventId(),
                java.time.OffsetDateTime.ofInstant(seven.occurredAt(), java.time.ZoneOffset.UTC), seven.hash(), hash);
        assertInvalidAt(9, "link");
    }

    @Test
    void anEntryAppendedBehindTheChainsBackIsFound() {
        AuditEntry last = entry(24);
        dba.execute("""
                insert into audit_events (tenant_id, seq, event_id, occurred_at, actor, action, target_type, target_id,
                    outcome, request_id, source_address, details, prev_hash, hash)
                values (?, 25, ?, ?, 'user:intruder', 'dataset.read', null, null, 'success', null, null, '{}', ?, ?)""",
                tenant.value(), UUID.randomUUID(), java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), last.hash(),
                last.hash());
        assertInvalidAt(25, "beyond the chain head");
    }

    @Test
    void aTruncatedTailIsReportedAtTheFirstMissingEntry() {
        dba.execute("delete from audit_events where tenant_id = ? and seq > 21", tenant.value());
        assertInvalidAt(22, "head");
    }

    @Test
    void aTailTruncatedIntoACheckpointIsFoundEvenWithTheHeadRewritten() {
        AuditEntry eighteen = entry(18);
        dba.execute("delete from audit_events where tenant_id = ? and seq > 18", tenant.value());
        dba.execute("update audit_heads set seq = 18, hash = ? where tenant_id = ?", eighteen.hash(), tenant.value());
        assertInvalidAt(19, "truncated");
    }

    @Test
    void aTailDeletedBeyondTheLastCheckpointWithTheHeadRewoundIsFoundAndNeverSigned() {
        AuditEntry twentyOne = entry(21);
        dba.execute("delete from audit_events where tenant_id = ? and seq > 21", tenant.value());
        dba.execute("update audit_heads set seq = 21, hash = ? where tenant_id = ?", twentyOne.hash(), tenant.value());
        assertInvalidAt(22, "rewound");
        assertThatThrownBy(() -> checkpoints.checkpoint(tenant)).hasMessageContaining("rewound");
    }

    @Test
    void aRollbackToAnOlderCheckpointIsFoundThroughTheWitness() {
        AuditEntry twelve = entry(12);
        dba.execute("delete from audit_checkpoints where tenant_id = ? and tree_size > 12", tenant.value());
        dba.execute("delete from audit_events where tenant_id = ? and seq > 12", tenant.value());
        dba.execute("update audit_heads set seq = 12, hash = ? where tenant_id = ?", twelve.hash(), tenant.value());
        assertInvalidAt(13, "rolled back");
    }

    @Test
    void aForkAfterARollbackIsFoundAndNeverSigned() {
        AuditEntry twelve = entry(12);
        dba.execute("delete from audit_checkpoints where tenant_id = ? and tree_size > 12", tenant.value());
        dba.execute("delete from audit_events where tenant_id = ? and seq > 12", tenant.value());
        dba.execute("update audit_heads set seq = 12, hash = ? where tenant_id = ?", twelve.hash(), tenant.value());
        append(8); // a different history of the same length as the witnessed one
        assertThatThrownBy(() -> checkpoints.checkpoint(tenant)).isInstanceOf(AuditCheckpoints.ChainBrokenException.class);
        assertInvalidAt(13, "fork");
    }

    @Test
    void aChainRehashedWithoutTheSigningKeyFailsAtItsCheckpoint() {
        dba.execute("update audit_events set actor = 'user:somebody-else' where tenant_id = ? and seq = 15",
                tenant.value());
        byte[] previous = entry(14).hash();
        for (long seq = 15; seq <= 24; seq++) {
            AuditEntry stored = entry(seq);
            byte[] hash = AuditCodec.canonicalEntry(stored).chainHash(previous);
            dba.execute("update audit_events set prev_hash = ?, hash = ? where tenant_id = ? and seq = ?", previous, hash,
                    tenant.value(), seq);
            previous = hash;
        }
        dba.execute("update audit_heads set hash = ? where tenant_id = ?", previous, tenant.value());
        assertInvalidAt(13, "Merkle tree head");
    }

    @Test
    void aCheckpointReSignedWithAForeignKeyIsRejected() throws Exception {
        SignedCheckpoint genuine = transactions.inTenant(tenant, () -> checkpoints.all(tenant)).getLast();
        KeyPair foreign = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(foreign.getPrivate());
        signer.update(genuine.signedMessage());
        byte[] signature = signer.sign();
        dba.execute("update audit_checkpoints set key_id = ?, signature = ? where tenant_id = ? and tree_size = 20",
                AuditKeys.keyId(foreign.getPublic().getEncoded()), signature, tenant.value());
        assertInvalidAt(13, "unknown key");

        dba.execute("update audit_checkpoints set key_id = ? where tenant_id = ? and tree_size = 20", genuine.keyId(),
                tenant.value());
        assertInvalidAt(13, "signature");
    }

    private AuditEntry entry(long seq) {
        return AuditChains.read(jdbc, transactions, tenant).stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
    }

    private void assertInvalidAt(long seq, String problem) {
        AuditTrail.Verification result = verification();
        assertThat(result.valid()).as("verification of a tampered trail").isFalse();
        assertThat(result.firstInvalidEntry()).as(result.problem()).isEqualTo(seq);
        if (problem != null) {
            assertThat(result.problem()).containsIgnoringCase(problem);
        }
    }
}
