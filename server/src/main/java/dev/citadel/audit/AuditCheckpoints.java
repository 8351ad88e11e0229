package dev.citadel.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.citadel.auditverifier.AuditExport;
import dev.citadel.auditverifier.AuditKeys;
import dev.citadel.auditverifier.MerkleAccumulator;
import dev.citadel.auditverifier.MerkleTree;
import dev.citadel.auditverifier.SignedCheckpoint;
import dev.citadel.crypto.AuditSigningKey;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.storage.SignedDocuments;

/**
 * Signs checkpoints over each tenant's audit chain: every {@code checkpoint-every} entries (right
 * after the append that crosses the mark) and every {@code checkpoint-interval} for any chain with
 * entries no checkpoint covers yet.
 *
 * <p>Security guarantees: a checkpoint is signed only over a chain this process has just checked —
 * the entries since the previous checkpoint are re-hashed from their content and linked, the
 * previous checkpoint's signature and stored frontier are checked against its signed root, and the
 * latest checkpoint is not older than the witness copy. A chain that fails any of these is not
 * signed (an error is logged and verification reports it). Each checkpoint is also written, after
 * commit, as the tenant's witness to the object store — a system the database's administrator does
 * not control in a production shape — so deleting checkpoints and entries in the database (a
 * rollback) or forking the chain is detected even though every remaining checkpoint verifies.
 */
@Component
class AuditCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    /** Resolved on first use: unwrapping the key is itself audited, so the key cannot be made before the log. */
    private final ObjectProvider<AuditSigningKey> signingKeyProvider;
    private final SignedDocuments store;
    private final Clock clock;
    private final Set<TenantId> dirty = ConcurrentHashMap.newKeySet();
    private final Set<TenantId> requested = ConcurrentHashMap.newKeySet();
    /** The highest sequence number this process saw committed per chain: a head below it was rewound. */
    private final Map<TenantId, Long> highestCommitted = new ConcurrentHashMap<>();
    private final Map<TenantId, Long> witnessed = new ConcurrentHashMap<>();
    /** One checkpointer per chain in this process (the mark and the interval may both ask at once). */
    private final Map<TenantId, ReentrantLock> checkpointing = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("audit-checkpoints").daemon(true).factory());

    AuditCheckpoints(JdbcClient jdbc, TenantTransactions transactions, ObjectProvider<AuditSigningKey> signingKey,
            SignedDocuments store, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.signingKeyProvider = signingKey;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Entries up to {@code seq} of a chain committed; {@code due} when they crossed a checkpoint mark
     * (checkpointed soon, off this thread).
     */
    void committed(TenantId tenant, long seq, boolean due) {
        highestCommitted.merge(tenant, seq, Math::max);
        dirty.add(tenant);
        if (due && requested.add(tenant)) {
            worker.execute(() -> {
                requested.remove(tenant);
                checkpointQuietly(tenant);
            });
        }
    }

    /** After a restart nothing is known to be dirty: look at every chain once. */
    @EventListener(ApplicationReadyEvent.class)
    void startUp() {
        List<String> tenants = transactions.inPlatform(() -> jdbc.sql("select id from tenants").query(String.class).list());
        dirty.add(TenantId.PLATFORM);
        tenants.forEach(id -> dirty.add(new TenantId(id)));
    }

    @Scheduled(fixedDelayString = "${citadel.audit.checkpoint-interval:30s}",
            initialDelayString = "${citadel.audit.checkpoint-interval:30s}")
    void checkpointDirty() {
        for (TenantId tenant : List.copyOf(dirty)) {
            dirty.remove(tenant);
            checkpointQuietly(tenant);
        }
    }

    private void checkpointQuietly(TenantId tenant) {
        try {
            checkpoint(tenant);
        } catch (RuntimeException e) {
            log.error("audit checkpoint for tenant {} failed: {}", tenant.value(), e.getMessage());
        }
    }

    /**
     * Signs a checkpoint over all of {@code tenant}'s entries if some are not covered yet; empty
     * when there was nothing to sign.
     *
     * @throws ChainBrokenException when the chain or the previous checkpoint does not verify
     */
    Optional<SignedCheckpoint> checkpoint(TenantId tenant) {
        ReentrantLock lock = checkpointing.computeIfAbsent(tenant, t -> new ReentrantLock());
        Optional<SignedCheckpoint> made;
        lock.lock();
        try {
            made = sign(tenant);
        } catch (DuplicateKeyException e) {
            // another replica signed a checkpoint of the same size first: the chain is covered
            return Optional.empty();
        } finally {
            lock.unlock();
        }
        made.ifPresent(this::writeWitness);
        return made;
    }

    /**
     * Reads the head without locking it, so appends go on while the entries since the last
     * checkpoint are checked: everything up to a committed head is committed and never changes, and
     * entries appended meanwhile are left for the next checkpoint.
     */
    private Optional<SignedCheckpoint> sign(TenantId tenant) {
        // read before the head: every entry this process saw committed by now is at or below it
        long committedBefore = highestCommitted(tenant);
        return transactions.inNewTenantTransaction(tenant, () -> {
            List<Map<String, Object>> head = jdbc.sql("select seq, hash from audit_heads where tenant_id = ?")
                    .param(tenant.value()).query().listOfRows();
            if (head.isEmpty() || ((Number) head.getFirst().get("seq")).longValue() == 0) {
                return Optional.<SignedCheckpoint>empty();
            }
            long headSeq = ((Number) head.getFirst().get("seq")).longValue();
            byte[] headHash = (byte[]) head.getFirst().get("hash");
            Optional<StoredCheckpoint> last = latest(tenant);
            long from = last.map(c -> c.checkpoint().size()).orElse(0L);
            if (from == headSeq) {
                return Optional.<SignedCheckpoint>empty();
            }
            if (from > headSeq) {
                throw new ChainBrokenException("the latest checkpoint covers " + from + " entries but the head says " + headSeq);
            }
            if (headSeq < committedBefore) {
                throw new ChainBrokenException("entries up to " + committedBefore + " were committed but the head "
                        + "says " + headSeq + " (the tail was deleted and the head rewound)");
            }
            MerkleAccumulator tree = last.map(this::trustedFrontier).orElseGet(MerkleAccumulator::new);
            byte[] previous = last.map(c -> c.checkpoint().chainHead()).orElseGet(() -> new byte[MerkleTree.HASH_LENGTH]);
            Optional<SignedCheckpoint> witness = witness(tenant);
            if (witness.isPresent() && witness.get().size() > from) {
                throw new ChainBrokenException("the witness holds a checkpoint at " + witness.get().size()
                        + " entries but the database's latest is at " + from + " (rolled back?)");
            }
            long expected = from;
            for (AuditEntry entry : AuditEntryReader.entriesBetween(jdbc, tenant, from, headSeq)) {
                expected++;
                if (entry.seq() != expected || !MessageDigest.isEqual(entry.previousHash(), previous)
                        || !MessageDigest.isEqual(entry.hash(), AuditCodec.canonicalEntry(entry).chainHash(previous))) {
                    throw new ChainBrokenException("entry " + expected + " does not verify");
                }
                tree.append(MerkleTree.leafHash(entry.hash()));
                previous = entry.hash();
            }
            if (expected != headSeq || !MessageDigest.isEqual(previous, headHash)) {
                throw new ChainBrokenException("the entries end at " + expected + " but the head says " + headSeq);
            }
            AuditSigningKey signingKey = signingKeyProvider.getObject();
            String time = AuditCodec.time(clock.instant());
            byte[] root = tree.root();
            byte[] signature = signingKey.sign(SignedCheckpoint.message(tenant.value(), headSeq, root, previous, time));
            SignedCheckpoint checkpoint = new SignedCheckpoint(tenant.value(), headSeq, root, previous, time,
                    signingKey.keyId(), signature);
            jdbc.sql("""
                    insert into audit_checkpoints (tenant_id, tree_size, root_hash, chain_head, signed_at, key_id,
                        signature, frontier) values (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .param(tenant.value()).param(headSeq).param(root).param(previous).param(time)
                    .param(signingKey.keyId()).param(signature).param(concat(tree.frontier())).update();
            return Optional.of(checkpoint);
        });
    }

    private MerkleAccumulator trustedFrontier(StoredCheckpoint stored) {
        SignedCheckpoint checkpoint = stored.checkpoint();
        PublicKey key = publicKeys().get(checkpoint.keyId());
        if (key == null || !AuditKeys.verify(key, checkpoint.signedMessage(), checkpoint.signature())) {
            throw new ChainBrokenException("the checkpoint at " + checkpoint.size() + " is not signed by an audit key");
        }
        MerkleAccumulator tree;
        try {
            tree = MerkleAccumulator.resume(checkpoint.size(), split(stored.frontier()));
        } catch (IllegalArgumentException e) {
            throw new ChainBrokenException("the checkpoint at " + checkpoint.size() + " has a malformed frontier");
        }
        if (!MessageDigest.isEqual(tree.root(), checkpoint.root())) {
            throw new ChainBrokenException("the checkpoint at " + checkpoint.size() + " has a frontier that does not "
                    + "give its signed root");
        }
        return tree;
    }

    /** The highest sequence number this process saw committed in the chain (0 if none since start). */
    long highestCommitted(TenantId tenant) {
        return highestCommitted.getOrDefault(tenant, 0L);
    }

    /** The platform's audit public keys, parsed, by key id. */
    Map<String, PublicKey> publicKeys() {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        signingKeyProvider.getObject().publicKeys().forEach((id, der) -> {
            try {
                keys.put(id, AuditKeys.parse(der));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("an audit public key does not parse", e);
            }
        });
        return keys;
    }

    /** The tenant's checkpoints, oldest first; the caller's transaction is in that tenant. */
    List<SignedCheckpoint> all(TenantId tenant) {
        return jdbc.sql("""
                select tenant_id, tree_size, root_hash, chain_head, signed_at, key_id, signature, frontier
                from audit_checkpoints where tenant_id = ? order by tree_size""")
                .param(tenant.value()).query(AuditCheckpoints::map).list().stream().map(StoredCheckpoint::checkpoint)
                .toList();
    }

    Optional<StoredCheckpoint> latest(TenantId tenant) {
        return jdbc.sql("""
                select tenant_id, tree_size, root_hash, chain_head, signed_at, key_id, signature, frontier
                from audit_checkpoints where tenant_id = ? order by tree_size desc limit 1""")
                .param(tenant.value()).query(AuditCheckpoints::map).optional();
    }

    private static StoredCheckpoint map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new StoredCheckpoint(new SignedCheckpoint(rs.getString("tenant_id"), rs.getLong("tree_size"),
                rs.getBytes("root_hash"), rs.getBytes("chain_head"), rs.getString("signed_at"), rs.getString("key_id"),
                rs.getBytes("signature")), rs.getBytes("frontier"));
    }

    /** A checkpoint row with the compact range it was made from. */
    record StoredCheckpoint(SignedCheckpoint checkpoint, byte[] frontier) {}

    /** The witness copy of the tenant's latest checkpoint, if one was written. */
    Optional<SignedCheckpoint> witness(TenantId tenant) {
        try {
            return store.get(witnessKey(tenant))
                    .map(bytes -> AuditExport.parseCheckpoint(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            log.error("the audit witness of tenant {} cannot be read: {}", tenant.value(), e.getMessage());
            throw new ChainBrokenException("the witness checkpoint cannot be read (see the server log)");
        }
    }

    /** Writes the witness unless a larger checkpoint of the chain was already written (two threads may race). */
    private synchronized void writeWitness(SignedCheckpoint checkpoint) {
        TenantId tenant = new TenantId(checkpoint.tenant());
        if (witnessed.getOrDefault(tenant, 0L) >= checkpoint.size()) {
            return;
        }
        byte[] line = AuditExport.checkpointLine(checkpoint).getBytes(StandardCharsets.UTF_8);
        try {
            store.put(witnessKey(tenant), line);
            witnessed.put(tenant, checkpoint.size());
        } catch (IOException | RuntimeException e) {
            log.error("could not write the audit witness for tenant {}: {}", checkpoint.tenant(), e.getMessage());
        }
    }

    static String witnessKey(TenantId tenant) {
        return "audit-witness/" + HexFormat.of().formatHex(tenant.value().getBytes(StandardCharsets.UTF_8)) + ".json";
    }

    private static byte[] concat(List<byte[]> hashes) {
        byte[] out = new byte[hashes.size() * MerkleTree.HASH_LENGTH];
        for (int i = 0; i < hashes.size(); i++) {
            System.arraycopy(hashes.get(i), 0, out, i * MerkleTree.HASH_LENGTH, MerkleTree.HASH_LENGTH);
        }
        return out;
    }

    private static List<byte[]> split(byte[] frontier) {
        if (frontier == null || frontier.length % MerkleTree.HASH_LENGTH != 0) {
            throw new IllegalArgumentException("malformed frontier");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < frontier.length; i += MerkleTree.HASH_LENGTH) {
            out.add(java.util.Arrays.copyOfRange(frontier, i, i + MerkleTree.HASH_LENGTH));
        }
        return out;
    }

    /** The chain or a checkpoint does not verify: nothing is signed over it. */
    static final class ChainBrokenException extends RuntimeException {
        ChainBrokenException(String message) {
            super(message, null, false, false);
        }
    }
}
