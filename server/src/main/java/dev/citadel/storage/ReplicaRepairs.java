package dev.citadel.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import com.google.crypto.tink.StreamingAead;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import dev.citadel.crypto.BlobContext;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.storage.store.ReplicatedBlobStore;
import dev.citadel.storage.store.ReplicatedBlobStore.Replica;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps the two copies of a {@link ReplicatedBlobStore} equal: a durable repair queue (table
 * {@code blob_replica_repairs}) that the store fills when a copy is missing or stale and that is
 * drained every {@code citadel.storage.replicated.repair-interval}, and a full scrub that compares
 * every object's copies by SHA-256 every {@code scrub-interval} (or on demand).
 *
 * <p>Which copy is right: for a tenant's blob, the registry's record — a copy is good when its
 * ciphertext has the recorded length and decrypts, under the tenant's key and the blob's associated
 * data, to the recorded plaintext digest. A copy that fails is never used as a source; when neither
 * copy is good the blob is reported unrecoverable and left alone. An object the registry does not
 * know under {@code tenants/} (deleted, erased, or a write still finishing) is never copied, so a
 * repair cannot bring an erased blob back. The platform's own objects ({@code signed/…}, signed on
 * their own) are copied from the primary when the copies differ.
 *
 * <p>Runs once across replicas: each queue entry is claimed by a conditional update that only one
 * replica wins; a scrub holds a lease row.
 */
@Service
public class ReplicaRepairs implements ReplicatedBlobStore.Listener {

    private static final Logger log = LoggerFactory.getLogger(ReplicaRepairs.class);
    private static final String TENANTS = "tenants/";
    private static final Duration CLAIM = Duration.ofMinutes(5);
    private static final Duration ORPHAN_GRACE = Duration.ofHours(1);
    private static final Duration SCRUB_LEASE = Duration.ofMinutes(30);
    private static final int BATCH = 100;
    private static final int REPORTED_KEYS = 100;

    private final ReplicatedBlobStore store;
    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final BlobRegistry registry;
    private final TenantKeys keys;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final StorageProperties properties;
    private final String holder;
    private final Counter failovers;
    private final Counter queued;
    private final MeterRegistry meters;

    ReplicaRepairs(BlobStore store, JdbcClient jdbc, TenantTransactions transactions, BlobRegistry registry, TenantKeys keys,
            Clock clock, ApplicationEventPublisher events, StorageProperties properties, MeterRegistry meters) {
        this.store = store instanceof ReplicatedBlobStore replicated ? replicated : null;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.registry = registry;
        this.keys = keys;
        this.clock = clock;
        this.events = events;
        this.properties = properties;
        this.meters = meters;
        this.holder = ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.failovers = Counter.builder("citadel.storage.replica.failovers")
                .description("Reads of a replicated object store served by the secondary").register(meters);
        this.queued = Counter.builder("citadel.storage.replica.repairs.queued")
                .description("Objects queued for repair in a replicated object store").register(meters);
        if (this.store != null) {
            this.store.listener(this);
        }
    }

    /** Whether the object store is replicated (otherwise everything here is a no-op). */
    public boolean replicated() {
        return store != null;
    }

    // ---- the queue ----

    @Override
    public void repairNeeded(String key, boolean delete, String reason) {
        queued.increment();
        Instant now = clock.instant();
        String action = delete ? "delete" : "copy";
        String why = reason.length() > 200 ? reason.substring(0, 200) : reason;
        try {
            transactions.inNewTenantTransaction(TenantId.PLATFORM, () -> {
                int updated = jdbc.sql("""
                        update blob_replica_repairs set action = ?, reason = ?, enqueued_at = ?, next_attempt_at = ?,
                            claim = null where store_key = ?""")
                        .param(action).param(why).param(utc(now)).param(utc(now)).param(key).update();
                if (updated == 0) {
                    jdbc.sql("""
                            insert into blob_replica_repairs (store_key, action, reason, enqueued_at, attempts,
                                next_attempt_at) values (?, ?, ?, ?, 0, ?)""")
                            .param(key).param(action).param(why).param(utc(now)).param(utc(now)).update();
                }
                return null;
            });
        } catch (org.springframework.dao.DuplicateKeyException raced) {
            // another thread or replica queued it at the same moment: it is queued
        }
    }

    @Override
    public void failedOver(String key, String reason) {
        failovers.increment();
    }

    /** A copy that failed authenticated decryption: the store served it from the primary; repair it from the other. */
    @EventListener
    void on(IntegrityFailure failure) {
        if (store == null) {
            return;
        }
        BlobContext context = new BlobContext(failure.tenant(), failure.kind(), failure.objectId(), failure.version());
        try {
            repairNeeded(EncryptedBlobs.storeKey(context), false, "integrity check failed: " + failure.reason());
        } catch (DataAccessException e) {
            log.error("Could not queue a blob that failed its integrity check for repair: {}", e.getMessage());
        }
    }

    /** Entries waiting (for status and tests). */
    public long queueLength() {
        return transactions.inPlatform(() -> jdbc.sql("select count(*) from blob_replica_repairs").query(Long.class).single());
    }

    @Scheduled(fixedDelayString = "${citadel.storage.replicated.repair-interval:30s}",
            initialDelayString = "${citadel.storage.replicated.repair-interval:30s}")
    void scheduledRepair() {
        if (store == null) {
            return;
        }
        try {
            drainQueue();
        } catch (RuntimeException e) {
            log.error("Replica repair pass failed: {}", e.getMessage());
        }
    }

    /** Works through every due entry once; answers what happened to them. */
    public Report drainQueue() {
        requireReplicated();
        Tally tally = new Tally(clock.instant());
        record Due(String key, String action, Instant enqueuedAt, int attempts) {}
        List<Due> due = transactions.inPlatform(() -> jdbc.sql("""
                select store_key, action, enqueued_at, attempts from blob_replica_repairs where next_attempt_at <= ?
                order by next_attempt_at fetch first 500 rows only""")
                .param(utc(clock.instant()))
                .query((rs, n) -> new Due(rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4)))
                .list());
        for (Due entry : due) {
            String claim = UUID.randomUUID().toString();
            Instant now = clock.instant();
            int claimed = transactions.inPlatform(() -> jdbc.sql("""
                    update blob_replica_repairs set claim = ?, next_attempt_at = ?, attempts = attempts + 1
                    where store_key = ? and next_attempt_at <= ?""")
                    .param(claim).param(utc(now.plus(CLAIM))).param(entry.key()).param(utc(now)).update());
            if (claimed == 0) {
                continue; // another replica has it
            }
            Outcome outcome = reconcile(entry.key(), "delete".equals(entry.action()));
            tally.add(entry.key(), outcome);
            boolean retry = outcome == Outcome.UNAVAILABLE
                    || (outcome == Outcome.SKIPPED && entry.enqueuedAt().plus(ORPHAN_GRACE).isAfter(now));
            if (retry) {
                Duration backoff = properties.replicated().repairInterval()
                        .multipliedBy(1L << Math.min(entry.attempts(), 7));
                Duration wait = backoff.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : backoff;
                transactions.inPlatform(() -> jdbc.sql("""
                        update blob_replica_repairs set next_attempt_at = ?, last_error = ?, claim = null
                        where store_key = ? and claim = ?""")
                        .param(utc(clock.instant().plus(wait))).param(outcome.name().toLowerCase(java.util.Locale.ROOT))
                        .param(entry.key()).param(claim).update());
            } else {
                transactions.inPlatform(() -> jdbc.sql("delete from blob_replica_repairs where store_key = ? and claim = ?")
                        .param(entry.key()).param(claim).update());
            }
        }
        return tally.report(clock.instant());
    }

    // ---- the scrub ----

    @Scheduled(fixedDelayString = "${citadel.storage.replicated.scrub-interval:24h}",
            initialDelayString = "${citadel.storage.replicated.scrub-interval:24h}")
    void scheduledScrub() {
        if (store == null) {
            return;
        }
        Instant now = clock.instant();
        Duration interval = properties.replicated().scrubInterval();
        // one replica per interval: the lease must be free and the last scrub started an interval ago
        int claimed = transactions.inPlatform(() -> jdbc.sql("""
                update blob_replica_scrubs set holder = ?, lease_until = ?, started_at = ?
                where id = 1 and (lease_until is null or lease_until < ?) and (started_at is null or started_at <= ?)""")
                .param(holder).param(utc(now.plus(SCRUB_LEASE))).param(utc(now)).param(utc(now))
                .param(utc(now.minus(interval).plusSeconds(60))).update());
        if (claimed == 1) {
            try {
                runScrub("scheduled");
            } catch (RuntimeException e) {
                log.error("Replica scrub failed: {}", e.getMessage());
            }
        }
    }

    /**
     * Compares both copies of every object now (operators: {@code POST /api/v1/platform/storage/scrub}).
     *
     * @throws CitadelException {@code storage.not_replicated}, or {@code storage.scrub_running} when
     *                          another scrub holds the lease
     */
    public Report scrub() {
        requireReplicated();
        Instant now = clock.instant();
        int claimed = transactions.inPlatform(() -> jdbc.sql("""
                update blob_replica_scrubs set holder = ?, lease_until = ?, started_at = ?
                where id = 1 and (lease_until is null or lease_until < ?)""")
                .param(holder).param(utc(now.plus(SCRUB_LEASE))).param(utc(now)).param(utc(now)).update());
        if (claimed == 0) {
            throw new CitadelException(ErrorCode.STORAGE_SCRUB_RUNNING,
                    "A scrub of the replicated object store is already running; try again when it has finished.");
        }
        return runScrub("requested");
    }

    private Report runScrub(String trigger) {
        Tally tally = new Tally(clock.instant());
        try {
            List<String> prefixes = new ArrayList<>();
            prefixes.add("signed/");
            transactions.inPlatform(() -> jdbc.sql("select id from tenants order by id").query(String.class).list())
                    .forEach(tenant -> prefixes.add(TENANTS + tenant + "/"));
            for (String prefix : prefixes) {
                TreeSet<String> keys = new TreeSet<>();
                try {
                    keys.addAll(store.primary().list(prefix));
                    keys.addAll(store.secondary().list(prefix));
                } catch (IOException e) {
                    log.warn("Scrub could not list {}: {}", prefix, e.getMessage());
                    tally.unavailable++;
                    continue;
                }
                for (String key : keys) {
                    tally.add(key, reconcile(key, false));
                    if (tally.checked % BATCH == 0) {
                        renewLease();
                    }
                }
            }
        } finally {
            Report report = tally.report(clock.instant());
            transactions.inPlatform(() -> jdbc.sql("""
                    update blob_replica_scrubs set holder = null, lease_until = null, finished_at = ?, checked = ?,
                        repaired = ?, unrecoverable = ? where id = 1 and holder = ?""")
                    .param(utc(report.finishedAt())).param(report.checked()).param(report.repaired())
                    .param(report.unrecoverable()).param(holder).update());
            log.info("Replica scrub ({}): {} objects checked, {} repaired, {} unrecoverable, {} skipped, {} unavailable",
                    trigger, report.checked(), report.repaired(), report.unrecoverable(), report.skipped(),
                    report.unavailable());
            events.publishEvent(new ReplicaScrubbed(trigger, report));
        }
        return tally.report(clock.instant());
    }

    private void renewLease() {
        transactions.inPlatform(() -> jdbc.sql("update blob_replica_scrubs set lease_until = ? where id = 1 and holder = ?")
                .param(utc(clock.instant().plus(SCRUB_LEASE))).param(holder).update());
    }

    // ---- one key ----

    enum Outcome { CONSISTENT, REPAIRED, UNRECOVERABLE, SKIPPED, UNAVAILABLE }

    /** Makes both copies of {@code key} right, if it can. */
    Outcome reconcile(String key, boolean delete) {
        try {
            Optional<BlobContext> context = context(key);
            Optional<StoredBlob> registered = context.flatMap(
                    c -> transactions.inTenant(c.tenant(), () -> registry.find(c)));
            boolean tenantObject = key.startsWith(TENANTS);
            if (delete && registered.isEmpty()) {
                store.primary().delete(key);
                store.secondary().delete(key);
                return count(Outcome.REPAIRED);
            }
            if (tenantObject && registered.isEmpty()) {
                return Outcome.SKIPPED; // not (or no longer) a blob: never copied, so never resurrected
            }
            Fingerprint primary = fingerprint(Replica.PRIMARY, key);
            Fingerprint secondary = fingerprint(Replica.SECONDARY, key);
            if (primary == null && secondary == null) {
                return count(registered.isPresent() ? unrecoverable(key, "missing from both stores") : Outcome.CONSISTENT);
            }
            if (primary != null && primary.equals(secondary)) {
                return Outcome.CONSISTENT;
            }
            Replica source;
            if (registered.isPresent()) {
                boolean primaryGood = primary != null && verifies(registered.get(), Replica.PRIMARY);
                boolean secondaryGood = !primaryGood && secondary != null && verifies(registered.get(), Replica.SECONDARY);
                if (!primaryGood && !secondaryGood) {
                    return count(unrecoverable(key, "no copy matches the registry's record"));
                }
                source = primaryGood ? Replica.PRIMARY : Replica.SECONDARY;
            } else {
                source = primary != null ? Replica.PRIMARY : Replica.SECONDARY;
            }
            Replica target = source == Replica.PRIMARY ? Replica.SECONDARY : Replica.PRIMARY;
            copy(key, source, target);
            log.info("Repaired {}: copied the {} copy over the {} one", key, source.wireName(), target.wireName());
            return count(Outcome.REPAIRED);
        } catch (IOException | DataAccessException e) {
            log.warn("Could not reconcile {}: {}", key, e.getMessage());
            return count(Outcome.UNAVAILABLE);
        } catch (KeysUnavailable e) {
            return Outcome.SKIPPED; // the tenant's keys are destroyed: nothing to verify against, nothing to protect
        }
    }

    private Outcome count(Outcome outcome) {
        if (outcome != Outcome.CONSISTENT && outcome != Outcome.SKIPPED) {
            meters.counter("citadel.storage.replica.repairs", "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .increment();
        }
        return outcome;
    }

    private static Outcome unrecoverable(String key, String why) {
        log.error("Replicated object {} is unrecoverable: {}", key, why);
        return Outcome.UNRECOVERABLE;
    }

    private void copy(String key, Replica source, Replica target) throws IOException {
        store.store(target).put(key, out -> {
            try (InputStream in = store.store(source).get(key)) {
                in.transferTo(out);
            }
        });
    }

    /** SHA-256 and length of one copy; null when the store does not have it. */
    private Fingerprint fingerprint(Replica replica, String key) throws IOException {
        MessageDigest sha256 = sha256();
        long length = 0;
        try (InputStream in = store.store(replica).get(key)) {
            byte[] buffer = new byte[256 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
                length += n;
            }
        } catch (NoSuchFileException missing) {
            return null;
        }
        return new Fingerprint(sha256.digest(), length);
    }

    /** Whether one copy has the recorded length and decrypts to the recorded plaintext digest. */
    private boolean verifies(StoredBlob blob, Replica replica) throws IOException {
        StreamingAead aead;
        try {
            aead = keys.blobs(blob.context().tenant());
        } catch (RuntimeException e) {
            throw new KeysUnavailable();
        }
        MessageDigest sha256 = sha256();
        Tagged raw;
        try {
            raw = new Tagged(store.store(replica).get(blob.storeKey()));
        } catch (NoSuchFileException missing) {
            return false;
        }
        try (InputStream plaintext = aead.newDecryptingStream(raw, blob.context().associatedData())) {
            byte[] buffer = new byte[256 * 1024];
            for (int n = plaintext.read(buffer); n >= 0; n = plaintext.read(buffer)) {
                sha256.update(buffer, 0, n);
            }
        } catch (IOException e) {
            if (raw.failed) {
                throw e; // the store failed, not the ciphertext
            }
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        } finally {
            raw.close();
        }
        return raw.count == blob.storedBytes() && MessageDigest.isEqual(sha256.digest(), blob.plaintextSha256());
    }

    /** {@code tenants/<tenant>/<kind>/<object id>/v<version>} back to its context; empty for any other key. */
    static Optional<BlobContext> context(String key) {
        if (!key.startsWith(TENANTS)) {
            return Optional.empty();
        }
        String[] parts = key.split("/");
        if (parts.length != 5 || !parts[4].startsWith("v")) {
            return Optional.empty();
        }
        try {
            BlobContext context = new BlobContext(new TenantId(parts[1]), BlobContext.BlobKind.fromWireName(parts[2]),
                    UUID.fromString(parts[3]), Integer.parseInt(parts[4].substring(1)));
            return EncryptedBlobs.storeKey(context).equals(key) ? Optional.of(context) : Optional.empty();
        } catch (RuntimeException notABlobKey) {
            return Optional.empty();
        }
    }

    private void requireReplicated() {
        if (store == null) {
            throw new CitadelException(ErrorCode.STORAGE_NOT_REPLICATED,
                    "The object store is not replicated (citadel.storage.backend is not replicated).");
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        // whole milliseconds: a database that rounds sub-microsecond digits up would put "now" in the future
        return OffsetDateTime.ofInstant(instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Fingerprint(byte[] sha256, long length) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Fingerprint f && f.length == length && MessageDigest.isEqual(f.sha256, sha256);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(sha256);
        }
    }

    /**
     * What a scrub or a repair pass did.
     *
     * @param checked           objects looked at
     * @param repaired          objects whose copies were made equal (or a queued delete done)
     * @param unrecoverable     objects with no good copy left (missing from both, or neither copy verifies)
     * @param skipped           objects that are not current blobs (deleted, erased, or a write finishing), left alone
     * @param unavailable       objects (or listings) a store could not serve now; retried later
     * @param unrecoverableKeys the first 100 unrecoverable keys
     */
    public record Report(Instant startedAt, Instant finishedAt, long checked, long repaired, long unrecoverable,
            long skipped, long unavailable, List<String> unrecoverableKeys) {}

    /** A scrub finished (recorded in the platform's audit trail). */
    public record ReplicaScrubbed(String trigger, Report report) {}

    private static final class Tally {
        private final Instant startedAt;
        private long checked;
        private long repaired;
        private long unrecoverable;
        private long skipped;
        private long unavailable;
        private final List<String> unrecoverableKeys = new ArrayList<>();

        Tally(Instant startedAt) {
            this.startedAt = startedAt;
        }

        void add(String key, Outcome outcome) {
            checked++;
            switch (outcome) {
                case CONSISTENT -> { }
                case REPAIRED -> repaired++;
                case UNRECOVERABLE -> {
                    unrecoverable++;
                    if (unrecoverableKeys.size() < REPORTED_KEYS) {
                        unrecoverableKeys.add(key);
                    }
                }
                case SKIPPED -> skipped++;
                case UNAVAILABLE -> unavailable++;
            }
        }

        Report report(Instant finishedAt) {
            return new Report(startedAt, finishedAt, checked, repaired, unrecoverable, skipped, unavailable,
                    List.copyOf(unrecoverableKeys));
        }
    }

    private static final class KeysUnavailable extends RuntimeException {
        KeysUnavailable() {
            super(null, null, false, false);
        }
    }

    /** Counts the ciphertext and tags failures of the store itself. */
    private static final class Tagged extends FilterInputStream {
        private long count;
        private boolean failed;

        Tagged(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b >= 0) {
                    count++;
                }
                return b;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count += n;
                }
                return n;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                super.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}
