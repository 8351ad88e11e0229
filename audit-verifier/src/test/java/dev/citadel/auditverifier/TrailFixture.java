package dev.citadel.auditverifier;

import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;

/**
 * Genuine audit trails built the way the server builds them — canonical entries chained with
 * {@link CanonicalEntry#chainHash}, checkpoints over the RFC 6962 tree of the chain hashes signed
 * with a real Ed25519 key — and the tampering done to them in the tests.
 */
final class TrailFixture {

    static final String TENANT = "hospital";
    static final String CHECKPOINT_TIME = "2026-11-23T10:15:30.123Z";
    static final String EXPORTED_AT = "2026-11-23T11:00:00.000Z";
    static final KeyPair KEY = generate();
    static final KeyPair FOREIGN = generate();

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Instant START = Instant.parse("2026-11-01T08:00:00Z");
    private static final String[] ACTIONS = {"auth.login", "dataset.upload", "model.register", "deployment.create",
            "prediction.batch", "member.put", "key.rotate", "training.start"};
    private static final String[] OUTCOMES = {"success", "success", "success", "denied", "failure"};

    private TrailFixture() {}

    /** An entry as stored: its canonical content and the hashes stored with it. */
    record Row(CanonicalEntry entry, byte[] prevHash, byte[] hash) {}

    /** A trail as exported: entries, checkpoints, the head, and the keys the header lists. */
    record Trail(String tenant, List<Row> rows, List<SignedCheckpoint> checkpoints, long headSeq, byte[] headHash,
            Map<String, byte[]> headerKeys) {

        Trail withRows(List<Row> newRows) {
            return new Trail(tenant, List.copyOf(newRows), checkpoints, headSeq, headHash, headerKeys);
        }

        Trail withCheckpoints(List<SignedCheckpoint> newCheckpoints) {
            return new Trail(tenant, rows, List.copyOf(newCheckpoints), headSeq, headHash, headerKeys);
        }

        Trail withHead(long seq, byte[] hash) {
            return new Trail(tenant, rows, checkpoints, seq, hash, headerKeys);
        }

        /** The head moved to the last row, as someone rewriting the database would. */
        Trail withHeadAtEnd() {
            return rows.isEmpty() ? withHead(0, CanonicalEntry.genesis())
                    : withHead(rows.size(), rows.getLast().hash());
        }

        Trail withHeaderKeys(Map<String, byte[]> keys) {
            return new Trail(tenant, rows, checkpoints, headSeq, headHash, Map.copyOf(keys));
        }

        SignedCheckpoint checkpointAt(long size) {
            return checkpoints.stream().filter(c -> c.size() == size).findFirst().orElseThrow();
        }

        /** The export file's lines. */
        List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add(AuditExport.headerLine(tenant, EXPORTED_AT, headerKeys));
            checkpoints.forEach(c -> lines.add(AuditExport.checkpointLine(c)));
            lines.add(AuditExport.headLine(headSeq, headHash));
            rows.forEach(r -> lines.add(AuditExport.entryLine(r.entry(), r.prevHash(), r.hash())));
            lines.add(AuditExport.endLine(rows.size()));
            return lines;
        }

        /** The export file. */
        String export() {
            return text(lines());
        }
    }

    static String text(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    /** A genuine trail of {@code n} entries with a checkpoint every {@code every} entries (none if 0). */
    static Trail genuine(int n, int every) {
        Random random = new Random(31L * n + every);
        List<CanonicalEntry> entries = new ArrayList<>();
        for (int seq = 1; seq <= n; seq++) {
            entries.add(entry(random, TENANT, seq));
        }
        return build(TENANT, entries, size -> every > 0 && size % every == 0, KEY);
    }

    /** Chains the entries and signs a checkpoint at every size the predicate accepts. */
    static Trail build(String tenant, List<CanonicalEntry> entries, LongPredicate checkpointAt, KeyPair key) {
        List<Row> rows = chain(entries);
        List<SignedCheckpoint> checkpoints = new ArrayList<>();
        for (int size = 1; size <= rows.size(); size++) {
            if (checkpointAt.test(size)) {
                checkpoints.add(checkpoint(tenant, rows, size, key));
            }
        }
        Trail trail = new Trail(tenant, rows, checkpoints, 0, CanonicalEntry.genesis(), spkiByKeyId(key));
        return trail.withHeadAtEnd();
    }

    /** Rows with chain hashes computed from the genesis hash. */
    static List<Row> chain(List<CanonicalEntry> entries) {
        List<Row> rows = new ArrayList<>();
        byte[] previous = CanonicalEntry.genesis();
        for (CanonicalEntry entry : entries) {
            byte[] hash = entry.chainHash(previous);
            rows.add(new Row(entry, previous, hash));
            previous = hash;
        }
        return rows;
    }

    /** What someone without the signing key does: every chain hash recomputed from the entries. */
    static List<Row> rehash(List<Row> rows) {
        return chain(rows.stream().map(Row::entry).toList());
    }

    /** A checkpoint of the first {@code size} rows, signed by {@code key}. */
    static SignedCheckpoint checkpoint(String tenant, List<Row> rows, int size, KeyPair key) {
        MerkleAccumulator tree = new MerkleAccumulator();
        rows.subList(0, size).forEach(row -> tree.append(MerkleTree.leafHash(row.hash())));
        return sign(key, keyId(key), tenant, size, tree.root(), rows.get(size - 1).hash(), CHECKPOINT_TIME);
    }

    /** Signs these values with {@code key}, naming whatever key id it is told to. */
    static SignedCheckpoint sign(KeyPair key, String keyId, String tenant, long size, byte[] root, byte[] chainHead,
            String time) {
        byte[] message = SignedCheckpoint.message(tenant, size, root, chainHead, time);
        return new SignedCheckpoint(tenant, size, root, chainHead, time, keyId, signature(key.getPrivate(), message));
    }

    /** The same checkpoint signed again by {@code key} under {@code keyId}. */
    static SignedCheckpoint resign(SignedCheckpoint checkpoint, KeyPair key, String keyId) {
        return sign(key, keyId, checkpoint.tenant(), checkpoint.size(), checkpoint.root(), checkpoint.chainHead(),
                checkpoint.time());
    }

    static String keyId(KeyPair key) {
        return AuditKeys.keyId(key.getPublic().getEncoded());
    }

    static Map<String, byte[]> spkiByKeyId(KeyPair... keys) {
        Map<String, byte[]> spki = new HashMap<>();
        for (KeyPair key : keys) {
            spki.put(keyId(key), key.getPublic().getEncoded());
        }
        return spki;
    }

    static Map<String, PublicKey> keys(KeyPair... keys) {
        Map<String, PublicKey> map = new HashMap<>();
        for (KeyPair key : keys) {
            map.put(keyId(key), key.getPublic());
        }
        return map;
    }

    /** A realistic entry; about one in five optional fields is absent. */
    static CanonicalEntry entry(Random random, String tenant, long seq) {
        String action = ACTIONS[random.nextInt(ACTIONS.length)];
        String targetType = action.substring(0, action.indexOf('.'));
        SortedMap<String, String> details = new TreeMap<>();
        if (random.nextBoolean()) {
            details.put("reason", random.nextBoolean() ? "ok" : "quota_exceeded");
        }
        if (random.nextInt(3) == 0) {
            details.put("rows", Integer.toString(random.nextInt(100_000)));
        }
        return new CanonicalEntry(tenant, seq, new UUID(random.nextLong(), random.nextLong()).toString(),
                TIME.format(START.plusMillis(seq * 1_537L + random.nextInt(1000))),
                random.nextInt(10) == 0 ? "system" : "user:" + (char) ('a' + random.nextInt(26)) + "lice",
                action, maybe(random, targetType), maybe(random, targetType + "-" + random.nextInt(1000)),
                OUTCOMES[random.nextInt(OUTCOMES.length)],
                maybe(random, "req-" + Long.toHexString(random.nextLong())),
                maybe(random, "10.0." + random.nextInt(256) + "." + random.nextInt(256)), details);
    }

    private static String maybe(Random random, String value) {
        return random.nextInt(5) == 0 ? null : value;
    }

    /** A copy of the entry with one field changed (the ones a tamperer would change). */
    static CanonicalEntry with(CanonicalEntry e, String field, String value) {
        return switch (field) {
            case "actor" -> new CanonicalEntry(e.tenant(), e.seq(), e.eventId(), e.time(), value, e.action(),
                    e.targetType(), e.targetId(), e.outcome(), e.requestId(), e.source(), e.details());
            case "time" -> new CanonicalEntry(e.tenant(), e.seq(), e.eventId(), value, e.actor(), e.action(),
                    e.targetType(), e.targetId(), e.outcome(), e.requestId(), e.source(), e.details());
            case "details" -> {
                SortedMap<String, String> details = new TreeMap<>(e.details());
                details.put("reason", value);
                yield new CanonicalEntry(e.tenant(), e.seq(), e.eventId(), e.time(), e.actor(), e.action(),
                        e.targetType(), e.targetId(), e.outcome(), e.requestId(), e.source(), details);
            }
            default -> throw new IllegalArgumentException(field);
        };
    }

    static CanonicalEntry withSeq(CanonicalEntry e, long seq) {
        return new CanonicalEntry(e.tenant(), seq, e.eventId(), e.time(), e.actor(), e.action(), e.targetType(),
                e.targetId(), e.outcome(), e.requestId(), e.source(), e.details());
    }

    /** The rows with the one at {@code seq} (1-based) replaced. */
    static List<Row> replace(List<Row> rows, long seq, UnaryOperator<Row> change) {
        List<Row> copy = new ArrayList<>(rows);
        copy.set((int) seq - 1, change.apply(copy.get((int) seq - 1)));
        return copy;
    }

    /** Verifies the rows directly with {@link ChainVerifier}, head known (as the server does). */
    static ChainVerifier.Report verifyDirect(Trail trail, Map<String, PublicKey> keys, List<SignedCheckpoint> trusted) {
        ChainVerifier verifier = new ChainVerifier(trail.tenant(), keys, trail.checkpoints(), trusted);
        trail.rows().forEach(row -> verifier.accept(row.entry(), row.prevHash(), row.hash()));
        return verifier.finish(trail.headSeq(), trail.headHash());
    }

    /** Verifies the trail's export file with {@link AuditExport#verify}. */
    static ChainVerifier.Report verifyExport(Trail trail, Map<String, PublicKey> keys, List<SignedCheckpoint> trusted) {
        return verifyText(trail.export(), keys, trusted);
    }

    static ChainVerifier.Report verifyText(String export, Map<String, PublicKey> keys, List<SignedCheckpoint> trusted) {
        return AuditExport.verify(new StringReader(export), keys, trusted);
    }

    static byte[] signature(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] flip(byte[] bytes) {
        byte[] copy = Arrays.copyOf(bytes, bytes.length);
        copy[0] ^= 1;
        return copy;
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
