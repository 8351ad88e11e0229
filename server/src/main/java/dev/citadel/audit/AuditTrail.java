package dev.citadel.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.citadel.auditverifier.AuditExport;
import dev.citadel.auditverifier.AuditKeys;
import dev.citadel.auditverifier.ChainVerifier;
import dev.citadel.auditverifier.MerkleTree;
import dev.citadel.auditverifier.SignedCheckpoint;
import dev.citadel.crypto.AuditSigningKey;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * A tenant's own trail, read: pages of entries, verification of the whole chain and its
 * checkpoints, inclusion and consistency proofs, and the JSON Lines export the offline verifier
 * reads. Every method runs in the tenant's context, so one tenant never sees another's entries.
 */
@Service
public class AuditTrail {

    private final JdbcAuditLog log;
    private final AuditCheckpoints checkpoints;
    private final AuditSigningKey signingKey;
    private final TenantTransactions transactions;
    private final JdbcClient jdbc;
    private final Clock clock;

    AuditTrail(JdbcAuditLog log, AuditCheckpoints checkpoints, AuditSigningKey signingKey,
            TenantTransactions transactions, JdbcClient jdbc, Clock clock) {
        this.log = log;
        this.checkpoints = checkpoints;
        this.signingKey = signingKey;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public AuditPage page(TenantId tenant, AuditQuery query) {
        List<AuditEntry> entries = transactions.inTenant(tenant, () -> log.page(tenant, query));
        List<Entry> items = entries.stream().map(Entry::of).toList();
        Long next = entries.size() == query.limit() ? entries.getLast().seq() : null;
        return new AuditPage(items, next);
    }

    /** One page of entries and the {@code before} value of the next page (null at the end). */
    public record AuditPage(List<Entry> items, Long nextBefore) {}

    /** An entry as the API shows it. */
    public record Entry(long seq, String eventId, Instant time, String actor, String action, String targetType,
            String targetId, String outcome, String requestId, String sourceAddress, Map<String, String> details,
            String hash) {

        static Entry of(AuditEntry e) {
            return new Entry(e.seq(), e.eventId().toString(), e.occurredAt(), e.actor(), e.action(), e.targetType(),
                    e.targetId(), e.outcome().wireName(), e.requestId(), e.sourceAddress(), e.details(),
                    HexFormat.of().formatHex(e.hash()));
        }
    }

    /** The result of verifying a trail, as the API shows it. */
    public record Verification(boolean valid, long entries, String head, Checkpoint latestCheckpoint,
            Long firstInvalidEntry, String problem) {}

    /** A signed checkpoint as the API shows it (hashes and signature in base64). */
    public record Checkpoint(long size, String root, String chainHead, String time, String keyId, String signature) {

        static Checkpoint of(SignedCheckpoint c) {
            Base64.Encoder b64 = Base64.getEncoder();
            return c == null ? null : new Checkpoint(c.size(), b64.encodeToString(c.root()),
                    b64.encodeToString(c.chainHead()), c.time(), c.keyId(), b64.encodeToString(c.signature()));
        }
    }

    /**
     * Verifies the tenant's whole chain against its checkpoints, the witness copy of the latest
     * checkpoint and the chain's head row (see {@link ChainVerifier} for what is checked).
     */
    public Verification verify(TenantId tenant) {
        return transactions.inTenant(tenant, () -> {
            // read in this order so that entries appended meanwhile never look like a broken chain:
            // checkpoints, then the witness (never older than them), then the head, then entries up to it
            List<SignedCheckpoint> own = checkpoints.all(tenant);
            List<SignedCheckpoint> trusted = new ArrayList<>();
            String witnessProblem = null;
            try {
                checkpoints.witness(tenant).ifPresent(trusted::add);
            } catch (AuditCheckpoints.ChainBrokenException e) {
                witnessProblem = e.getMessage();
            }
            Head head = head(tenant);
            ChainVerifier verifier = new ChainVerifier(tenant.value(), checkpoints.publicKeys(), own, trusted);
            for (AuditEntry entry : AuditEntryReader.entriesAfter(jdbc, tenant, 0)) {
                if (entry.seq() > head.seq() && verifier.valid()) {
                    break; // appended after the head was read
                }
                verifier.accept(AuditCodec.canonicalEntry(entry), entry.previousHash(), entry.hash());
            }
            ChainVerifier.Report report = verifier.finish(head.seq(), head.seq() == 0 ? null : head.hash());
            // the highest entry first, then the head: an append committing in between moves the head too
            long last = jdbc.sql("select coalesce(max(seq), 0) from audit_events where tenant_id = ?")
                    .param(tenant.value()).query(Long.class).single();
            Head after = head(tenant);
            if (report.valid() && last > after.seq()) {
                return new Verification(false, report.entries(), report.head(), Checkpoint.of(report.latestCheckpoint()),
                        after.seq() + 1, "entries beyond the chain head (inserted behind the chain's back)");
            }
            long committed = checkpoints.highestCommitted(tenant);
            if (report.valid() && after.seq() < committed) {
                return new Verification(false, report.entries(), report.head(), Checkpoint.of(report.latestCheckpoint()),
                        after.seq() + 1, "entries up to " + committed + " were committed but the trail ends at "
                                + after.seq() + " (the tail was deleted and the head rewound)");
            }
            if (report.valid() && witnessProblem != null) {
                return new Verification(false, report.entries(), report.head(), Checkpoint.of(report.latestCheckpoint()),
                        report.entries() + 1, witnessProblem);
            }
            return new Verification(report.valid(), report.entries(), report.head(),
                    Checkpoint.of(report.latestCheckpoint()), report.firstInvalidEntry(), report.problem());
        });
    }

    private record Head(long seq, byte[] hash) {}

    private Head head(TenantId tenant) {
        return jdbc.sql("select seq, hash from audit_heads where tenant_id = ?").param(tenant.value())
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getBytes("hash"))).optional()
                .orElse(new Head(0, new byte[MerkleTree.HASH_LENGTH]));
    }

    /** An inclusion proof of entry {@code seq} in the tree of the first {@code treeSize} entries. */
    public record InclusionProof(long seq, long treeSize, String leafHash, String root, List<String> proof) {}

    /** A consistency proof between the trees of the first {@code from} and {@code to} entries. */
    public record ConsistencyProof(long from, long to, String fromRoot, String toRoot, List<String> proof) {}

    public InclusionProof inclusionProof(TenantId tenant, long seq, long treeSize) {
        List<byte[]> leaves = leaves(tenant, treeSize);
        if (seq < 1 || seq > treeSize) {
            throw new CitadelException(ErrorCode.AUDIT_RANGE_INVALID, "seq must be between 1 and treeSize.");
        }
        Base64.Encoder b64 = Base64.getEncoder();
        return new InclusionProof(seq, treeSize, b64.encodeToString(leaves.get((int) seq - 1)),
                b64.encodeToString(MerkleTree.root(leaves)),
                MerkleTree.inclusionProof(leaves, seq - 1).stream().map(b64::encodeToString).toList());
    }

    public ConsistencyProof consistencyProof(TenantId tenant, long from, long to) {
        if (from < 1 || from > to) {
            throw new CitadelException(ErrorCode.AUDIT_RANGE_INVALID, "from must be between 1 and to.");
        }
        List<byte[]> leaves = leaves(tenant, to);
        Base64.Encoder b64 = Base64.getEncoder();
        return new ConsistencyProof(from, to, b64.encodeToString(MerkleTree.root(leaves.subList(0, (int) from))),
                b64.encodeToString(MerkleTree.root(leaves)),
                MerkleTree.consistencyProof(leaves, from).stream().map(b64::encodeToString).toList());
    }

    /** The leaf hashes of the first {@code size} entries; 400 when the trail is shorter. */
    private List<byte[]> leaves(TenantId tenant, long size) {
        if (size < 1 || size > MAX_PROOF_TREE) {
            throw new CitadelException(ErrorCode.AUDIT_RANGE_INVALID,
                    "The tree size must be between 1 and " + MAX_PROOF_TREE + ".");
        }
        List<byte[]> hashes = transactions.inTenant(tenant, () -> jdbc.sql(
                        "select hash from audit_events where tenant_id = ? and seq <= ? order by seq")
                .param(tenant.value()).param(size).query((rs, n) -> rs.getBytes(1)).list());
        if (hashes.size() != size) {
            throw new CitadelException(ErrorCode.AUDIT_RANGE_INVALID, "The trail has fewer than " + size + " entries.");
        }
        return hashes.stream().map(MerkleTree::leafHash).toList();
    }

    private static final long MAX_PROOF_TREE = 10_000_000;

    /** The platform's audit public keys, as PEM by key id. */
    public Map<String, String> signingKeys() {
        Map<String, String> pems = new java.util.LinkedHashMap<>();
        signingKey.publicKeys().forEach((id, der) -> pems.put(id, AuditKeys.toPem(der)));
        return pems;
    }

    /**
     * Writes the tenant's trail as JSON Lines (format {@code citadel-audit-export/v1}): header,
     * checkpoints, head, every entry, end — what {@code verify-audit} reads.
     */
    public void export(TenantId tenant, Writer out) {
        transactions.inTenant(tenant, () -> {
            try {
                out.write(AuditExport.headerLine(tenant.value(), AuditCodec.time(clock.instant()), signingKey.publicKeys()));
                out.write('\n');
                for (SignedCheckpoint checkpoint : checkpoints.all(tenant)) {
                    out.write(AuditExport.checkpointLine(checkpoint));
                    out.write('\n');
                }
                Head head = head(tenant);
                long headSeq = head.seq();
                out.write(AuditExport.headLine(headSeq, head.hash()));
                out.write('\n');
                long count = 0;
                for (AuditEntry entry : AuditEntryReader.entriesAfter(jdbc, tenant, 0)) {
                    if (entry.seq() > headSeq) {
                        break; // appended after the head was read: the next export has it
                    }
                    out.write(AuditExport.entryLine(AuditCodec.canonicalEntry(entry), entry.previousHash(), entry.hash()));
                    out.write('\n');
                    count++;
                }
                out.write(AuditExport.endLine(count));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The parsed audit public keys by key id (for the verifier, restore and tests). */
    public Map<String, PublicKey> publicKeys() {
        return checkpoints.publicKeys();
    }
}
