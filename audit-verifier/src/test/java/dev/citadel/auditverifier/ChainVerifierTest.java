package dev.citadel.auditverifier;

import static dev.citadel.auditverifier.TrailFixture.FOREIGN;
import static dev.citadel.auditverifier.TrailFixture.KEY;
import static dev.citadel.auditverifier.TrailFixture.TENANT;
import static dev.citadel.auditverifier.TrailFixture.keyId;
import static dev.citadel.auditverifier.TrailFixture.keys;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.citadel.auditverifier.TrailFixture.Row;
import dev.citadel.auditverifier.TrailFixture.Trail;

/**
 * Genuine trails always verify; every kind of tampering fails, at exactly the entry the
 * {@link ChainVerifier} contract names. Each case is checked twice — on the rows directly and on the
 * trail's export file — and both must agree.
 *
 * <p>{@code FULL}: 20 entries, checkpoints at 5, 10, 15 and 20 (one exactly at the end).
 * {@code OPEN}: 22 entries, the same checkpoints, two entries after the last one. Positions tried:
 * the first entry, a middle one (12), one at a checkpoint boundary (10), the last.
 */
class ChainVerifierTest {

    static final Trail FULL = TrailFixture.genuine(20, 5);
    static final Trail OPEN = TrailFixture.genuine(22, 5);
    static final Map<String, PublicKey> KEYS = keys(KEY);

    static Trail trail(String name) {
        return switch (name) {
            case "FULL" -> FULL;
            case "OPEN" -> OPEN;
            default -> throw new IllegalArgumentException(name);
        };
    }

    // --- untampered --------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} entries, a checkpoint every {1}")
    @CsvSource({"0,0", "1,0", "1,1", "2,0", "2,1", "2,2", "3,2", "7,0", "20,5", "22,5", "64,8", "100,7"})
    void untamperedTrailsVerify(int entries, int every) {
        Trail trail = TrailFixture.genuine(entries, every);
        ChainVerifier.Report report = assertValid(trail, List.of());
        assertThat(report.entries()).isEqualTo(entries);
        assertThat(report.head()).isEqualTo(Base64.getEncoder().encodeToString(trail.headHash()));
        if (every == 0) {
            assertThat(report.latestCheckpoint()).isNull();
        } else {
            assertThat(report.latestCheckpoint().size()).isEqualTo(entries / every * every);
        }
    }

    @Test
    void trustedCheckpointsThatMatchVerify() {
        SignedCheckpoint atTwelve = TrailFixture.checkpoint(TENANT, FULL.rows(), 12, KEY);
        assertValid(FULL, FULL.checkpoints());
        assertValid(FULL, List.of(atTwelve, FULL.checkpointAt(20)));
        assertValid(OPEN, List.of(OPEN.checkpointAt(20), TrailFixture.checkpoint(TENANT, OPEN.rows(), 22, KEY)));
        Trail unsigned = TrailFixture.genuine(9, 0);
        assertValid(unsigned, List.of(TrailFixture.checkpoint(TENANT, unsigned.rows(), 9, KEY)));
    }

    @Test
    void fiftyRandomUntamperedTrailsVerify() {
        Random random = new Random(20261123);
        for (int i = 0; i < 50; i++) {
            String tenant = randomText(random, 1 + random.nextInt(12));
            int size = random.nextInt(150);
            List<CanonicalEntry> entries = new ArrayList<>();
            for (int seq = 1; seq <= size; seq++) {
                entries.add(randomEntry(random, tenant, seq));
            }
            double rate = random.nextDouble() * 0.3;
            boolean atEnd = random.nextBoolean();
            Trail trail = TrailFixture.build(tenant, entries,
                    s -> random.nextDouble() < rate || (atEnd && s == size), KEY);
            List<SignedCheckpoint> trusted = trail.checkpoints().stream().filter(c -> random.nextBoolean()).toList();
            ChainVerifier.Report report = assertValid(trail, trusted);
            assertThat(report.entries()).isEqualTo(size);
        }
    }

    // --- entries changed in place -------------------------------------------------------------------

    @ParameterizedTest(name = "{1} of entry {2} in {0} changed: first invalid {3}")
    @CsvSource({
            "FULL,actor,1,1", "FULL,actor,12,12", "FULL,actor,10,10", "FULL,actor,20,20", "OPEN,actor,22,22",
            "FULL,details,1,1", "FULL,details,12,12", "FULL,details,10,10", "FULL,details,20,20",
            "OPEN,details,22,22",
            "FULL,time,1,1", "FULL,time,12,12", "FULL,time,10,10", "FULL,time,20,20", "OPEN,time,22,22"})
    void aModifiedFieldIsReportedAtItsEntry(String name, String field, long seq, long expected) {
        Trail trail = trail(name);
        String value = field.equals("time") ? "2026-11-30T00:00:00.000Z" : "user:mallory";
        List<Row> rows = TrailFixture.replace(trail.rows(), seq,
                row -> new Row(TrailFixture.with(row.entry(), field, value), row.prevHash(), row.hash()));
        assertInvalidAt(trail.withRows(rows), expected, List.of(), "does not match its hash");
    }

    @ParameterizedTest(name = "entry {1} of {0} deleted: first invalid {2}")
    @CsvSource({"FULL,1,1", "FULL,12,12", "FULL,10,10", "FULL,20,20", "OPEN,22,22"})
    void aDeletedEntryIsReportedAtItsPosition(String name, long seq, long expected) {
        Trail trail = trail(name);
        List<Row> rows = new ArrayList<>(trail.rows());
        rows.remove((int) seq - 1);
        assertInvalidAt(trail.withRows(rows), expected, List.of(), null);
    }

    @ParameterizedTest(name = "entries {1} and {1}+1 of {0} swapped, numbers kept in place: first invalid {2}")
    @CsvSource({"FULL,1,1", "FULL,12,12", "FULL,10,10", "FULL,19,19", "OPEN,21,21"})
    void adjacentEntriesSwappedWithTheirNumbersKeptAreReportedAtTheFirst(String name, int seq, long expected) {
        Trail trail = trail(name);
        List<Row> rows = new ArrayList<>(trail.rows());
        Row first = rows.get(seq - 1);
        Row second = rows.get(seq);
        rows.set(seq - 1, new Row(TrailFixture.withSeq(second.entry(), seq), second.prevHash(), second.hash()));
        rows.set(seq, new Row(TrailFixture.withSeq(first.entry(), seq + 1), first.prevHash(), first.hash()));
        assertInvalidAt(trail.withRows(rows), expected, List.of(), "does not link");
    }

    @ParameterizedTest(name = "rows {1} and {1}+1 of {0} reordered: first invalid {2}")
    @CsvSource({"FULL,1,1", "FULL,12,12", "FULL,10,10", "FULL,19,19", "OPEN,21,21"})
    void adjacentRowsReorderedAreReportedAtTheFirst(String name, int seq, long expected) {
        Trail trail = trail(name);
        List<Row> rows = new ArrayList<>(trail.rows());
        Collections.swap(rows, seq - 1, seq);
        assertInvalidAt(trail.withRows(rows), expected, List.of(), "out of order");
    }

    // --- entries replayed, inserted, tails removed ----------------------------------------------------

    /** An earlier row copied in again, its number and hashes as they were: reported where it lands. */
    @ParameterizedTest(name = "entry {1} of {0} replayed at position {2}: first invalid {2}")
    @CsvSource({"FULL,7,13", "FULL,1,2", "FULL,10,11", "FULL,20,21", "OPEN,22,23"})
    void aReplayedEntryIsReportedWhereItLands(String name, int replayed, int position) {
        Trail trail = trail(name);
        List<Row> rows = new ArrayList<>(trail.rows());
        rows.add(position - 1, trail.rows().get(replayed - 1));
        assertInvalidAt(trail.withRows(rows), position, List.of(), "(found " + replayed + " in its place)");
    }


    /**
     * A forged entry with a correct link to the one before it, placed at {@code seq}; what follows is
     * renumbered with its stored hashes kept. Its own link holds, so it is reported at the entry after
     * it, whose link breaks — or, when it lands on a checkpoint's size, after the checkpoint before.
     * Appended after the last entry, it is beyond the head.
     */
    @ParameterizedTest(name = "a forged entry inserted at {1} of {0}: first invalid {2}")
    @CsvSource({"FULL,1,2", "FULL,12,13", "FULL,10,6", "FULL,20,16", "FULL,21,21", "OPEN,22,23", "OPEN,23,23"})
    void aForgedEntryInsertedIsReported(String name, int seq, long expected) {
        Trail trail = trail(name);
        List<Row> rows = new ArrayList<>(trail.rows());
        byte[] previous = seq == 1 ? CanonicalEntry.genesis() : rows.get(seq - 2).hash();
        CanonicalEntry forged = TrailFixture.entry(new Random(seq), TENANT, seq);
        for (int i = seq - 1; i < rows.size(); i++) {
            Row row = rows.get(i);
            rows.set(i, new Row(TrailFixture.withSeq(row.entry(), row.entry().seq() + 1), row.prevHash(), row.hash()));
        }
        rows.add(seq - 1, new Row(forged, previous, forged.chainHash(previous)));
        assertInvalidAt(trail.withRows(rows), expected, List.of(), null);
    }

    @ParameterizedTest(name = "a forged entry with made-up hashes inserted at {1} of {0}: first invalid {1}")
    @CsvSource({"FULL,1", "FULL,12", "FULL,10", "FULL,20", "OPEN,22"})
    void aForgedEntryWithMadeUpHashesIsReportedAtItself(String name, int seq) {
        Trail trail = trail(name);
        List<Row> rows = new ArrayList<>(trail.rows());
        Row original = rows.get(seq - 1);
        for (int i = seq - 1; i < rows.size(); i++) {
            Row row = rows.get(i);
            rows.set(i, new Row(TrailFixture.withSeq(row.entry(), row.entry().seq() + 1), row.prevHash(), row.hash()));
        }
        rows.add(seq - 1, new Row(TrailFixture.entry(new Random(seq), TENANT, seq), original.prevHash(),
                original.hash()));
        assertInvalidAt(trail.withRows(rows), seq, List.of(), "does not match its hash");
    }

    @ParameterizedTest(name = "{0} truncated from entry {1}, a checkpoint beyond the end: first invalid {1}")
    @CsvSource({"FULL,1", "FULL,12", "FULL,10", "FULL,20"})
    void aTruncatedTailUnderACheckpointIsReportedAtTheFirstMissingEntry(String name, int seq) {
        Trail trail = trail(name);
        Trail truncated = trail.withRows(trail.rows().subList(0, seq - 1)).withHeadAtEnd();
        assertInvalidAt(truncated, seq, List.of(), "tail was truncated");
    }

    @ParameterizedTest(name = "{0} truncated from entry {1}, checkpoints beyond removed, head kept: first invalid {1}")
    @CsvSource({"FULL,1", "FULL,12", "FULL,10", "FULL,20", "OPEN,22", "OPEN,21"})
    void aTruncatedTailWithTheOldHeadIsReportedAtTheFirstMissingEntry(String name, int seq) {
        Trail trail = trail(name);
        Trail truncated = trail.withRows(trail.rows().subList(0, seq - 1))
                .withCheckpoints(trail.checkpoints().stream().filter(c -> c.size() < seq).toList());
        assertInvalidAt(truncated, seq, List.of(), "the chain head says " + trail.headSeq());
    }

    @ParameterizedTest(name = "rolled back to {0} entries: verifies alone, first invalid {0}+1 with a trusted checkpoint at {1}")
    @CsvSource({"0,20", "10,20", "12,20", "19,20", "10,15", "5,10"})
    void aRollbackIsDetectedThroughATrustedCheckpoint(int kept, long trustedSize) {
        Trail rolledBack = FULL.withRows(FULL.rows().subList(0, kept))
                .withCheckpoints(FULL.checkpoints().stream().filter(c -> c.size() <= kept).toList())
                .withHeadAtEnd();
        // Consistent in itself: without a checkpoint kept elsewhere, nothing shows what was removed.
        assertValid(rolledBack, List.of());
        assertInvalidAt(rolledBack, kept + 1, List.of(FULL.checkpointAt(trustedSize)), "truncated or rolled back");
    }

    // --- checkpoints -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "checkpoint {0} re-signed with a key the verifier does not hold: first invalid {1}")
    @CsvSource({"5,1", "10,6", "15,11", "20,16"})
    void aCheckpointSignedWithAForeignKeyIsReportedAfterTheLastOneThatVerified(long size, long expected) {
        Trail trail = resigned(FULL, size, TrailFixture.resign(FULL.checkpointAt(size), FOREIGN, keyId(FOREIGN)));
        assertInvalidAt(trail, expected, List.of(), "unknown key " + keyId(FOREIGN));
        assertValid(trail, List.of(), keys(KEY, FOREIGN));
    }

    @ParameterizedTest(name = "checkpoint {0} with a forged signature under the genuine key id: first invalid {1}")
    @CsvSource({"5,1", "10,6", "15,11", "20,16"})
    void aForgedSignatureUnderTheGenuineKeyIdIsReportedAfterTheLastCheckpointThatVerified(long size, long expected) {
        Trail trail = resigned(FULL, size, TrailFixture.resign(FULL.checkpointAt(size), FOREIGN, keyId(KEY)));
        assertInvalidAt(trail, expected, List.of(), "signature does not verify");
        SignedCheckpoint genuine = FULL.checkpointAt(size);
        Trail flipped = resigned(FULL, size, new SignedCheckpoint(genuine.tenant(), genuine.size(), genuine.root(),
                genuine.chainHead(), genuine.time(), genuine.keyId(), TrailFixture.flip(genuine.signature())));
        assertInvalidAt(flipped, expected, List.of(), "signature does not verify");
    }

    @Test
    void aCheckpointOfAnotherTenantIsReportedAfterTheLastOneThatVerified() {
        SignedCheckpoint genuine = FULL.checkpointAt(10);
        SignedCheckpoint moved = TrailFixture.sign(KEY, keyId(KEY), "clinic", 10, genuine.root(), genuine.chainHead(),
                genuine.time());
        assertInvalidAt(resigned(FULL, 10, moved), 6, List.of(), "another tenant");
    }

    @Test
    void aCheckpointWithoutEntriesIsInvalid() {
        SignedCheckpoint empty = TrailFixture.sign(KEY, keyId(KEY), TENANT, 0, MerkleTree.emptyRoot(),
                CanonicalEntry.genesis(), TrailFixture.CHECKPOINT_TIME);
        Trail trail = FULL.withCheckpoints(List.of(empty));
        assertThat(TrailFixture.verifyDirect(trail, KEYS, List.of()))
                .returns(false, ChainVerifier.Report::valid).returns(1L, ChainVerifier.Report::firstInvalidEntry);
        assertThat(TrailFixture.verifyDirect(FULL, KEYS, List.of(empty)))
                .returns(false, ChainVerifier.Report::valid).returns(1L, ChainVerifier.Report::firstInvalidEntry);
    }

    /**
     * A trusted checkpoint, validly signed, of another history that diverged at entry
     * {@code diverged}: reported after the last smaller checkpoint that verified, even when the
     * trail has its own, validly signed checkpoint of the same size.
     */
    @ParameterizedTest(name = "a fork witnessed at size {1} of {0} (diverged at {2}): first invalid {3}")
    @CsvSource({"FULL,5,1,1", "FULL,10,7,6", "FULL,12,12,11", "FULL,20,1,16", "FULL,20,18,16", "OPEN,22,21,21",
            "OPEN,21,21,21"})
    void aForkIsReportedAfterTheLastSmallerCheckpointThatVerified(String name, int size, long diverged,
            long expected) {
        Trail trail = trail(name);
        List<Row> other = TrailFixture.rehash(TrailFixture.replace(trail.rows(), diverged,
                row -> new Row(TrailFixture.with(row.entry(), "actor", "user:mallory"), row.prevHash(), row.hash())));
        SignedCheckpoint witnessed = TrailFixture.checkpoint(TENANT, other, size, KEY);
        assertInvalidAt(trail, expected, List.of(witnessed), "differs from the signed one");
    }

    /**
     * One entry changed and every chain hash after it recomputed, head included, without the
     * signing key: the first checkpoint after the change no longer matches.
     */
    @ParameterizedTest(name = "entry {1} of {0} changed and the chain re-hashed: first invalid {2}")
    @CsvSource({"FULL,1,1", "FULL,12,11", "FULL,10,6", "FULL,20,16", "FULL,16,16", "FULL,15,11"})
    void aRehashedChainIsReportedAfterTheLastCheckpointThatStillVerifies(String name, long seq, long expected) {
        Trail trail = trail(name);
        assertInvalidAt(rehashedAfterChanging(trail, seq), expected, List.of(), "Merkle tree head differs");
    }

    @ParameterizedTest(name = "entry {0} of OPEN, after the last checkpoint, changed and re-hashed")
    @CsvSource({"21", "22"})
    void aRehashAfterTheLastCheckpointIsCaughtOnlyByTheNextCheckpoint(long seq) {
        Trail rewritten = rehashedAfterChanging(OPEN, seq);
        // The documented limit: only the chain and the head protect entries after the last checkpoint.
        assertValid(rewritten, List.of());
        // A checkpoint of the genuine trail, kept elsewhere, catches it.
        SignedCheckpoint later = TrailFixture.checkpoint(TENANT, OPEN.rows(), 22, KEY);
        assertInvalidAt(rewritten, 21, List.of(later), "differs from the signed one");
    }

    @Test
    void aRehashedChainWithCheckpointsResignedByAForeignKeyIsReportedAfterTheLastGenuineCheckpoint() {
        Trail rewritten = rehashedAfterChanging(FULL, 12);
        List<SignedCheckpoint> resigned = new ArrayList<>();
        for (SignedCheckpoint c : FULL.checkpoints()) {
            resigned.add(c.size() < 12 ? c
                    : TrailFixture.checkpoint(TENANT, rewritten.rows(), (int) c.size(), FOREIGN));
        }
        assertInvalidAt(rewritten.withCheckpoints(resigned), 11, List.of(), "unknown key");
    }

    @Test
    void anEntryOfAnotherTenantIsReportedAtItsEntry() {
        List<Row> rows = TrailFixture.rehash(TrailFixture.replace(FULL.rows(), 12, row -> {
            CanonicalEntry e = row.entry();
            return new Row(new CanonicalEntry("clinic", e.seq(), e.eventId(), e.time(), e.actor(), e.action(),
                    e.targetType(), e.targetId(), e.outcome(), e.requestId(), e.source(), e.details()),
                    row.prevHash(), row.hash());
        }));
        assertInvalidAt(FULL.withRows(rows).withHeadAtEnd(), 12, List.of(), "another tenant");
    }

    @Test
    void anotherHeadHashIsReportedAtTheLastEntry() {
        assertInvalidAt(FULL.withHead(20, TrailFixture.flip(FULL.headHash())), 20, List.of(), "head's hash");
    }

    // --- helpers -------------------------------------------------------------------------------------

    static Trail resigned(Trail trail, long size, SignedCheckpoint replacement) {
        return trail.withCheckpoints(trail.checkpoints().stream().map(c -> c.size() == size ? replacement : c)
                .toList());
    }

    static Trail rehashedAfterChanging(Trail trail, long seq) {
        List<Row> rows = TrailFixture.replace(trail.rows(), seq,
                row -> new Row(TrailFixture.with(row.entry(), "actor", "user:mallory"), row.prevHash(), row.hash()));
        return trail.withRows(TrailFixture.rehash(rows)).withHeadAtEnd();
    }

    static ChainVerifier.Report assertValid(Trail trail, List<SignedCheckpoint> trusted) {
        return assertValid(trail, trusted, KEYS);
    }

    static ChainVerifier.Report assertValid(Trail trail, List<SignedCheckpoint> trusted, Map<String, PublicKey> keys) {
        ChainVerifier.Report direct = TrailFixture.verifyDirect(trail, keys, trusted);
        ChainVerifier.Report exported = TrailFixture.verifyExport(trail, keys, trusted);
        for (ChainVerifier.Report report : List.of(direct, exported)) {
            assertThat(report.valid()).as("%s", report).isTrue();
            assertThat(report.firstInvalidEntry()).isNull();
            assertThat(report.problem()).isNull();
        }
        assertThat(exported).usingRecursiveComparison().isEqualTo(direct);
        return exported;
    }

    static void assertInvalidAt(Trail trail, long expected, List<SignedCheckpoint> trusted, String problem) {
        ChainVerifier.Report direct = TrailFixture.verifyDirect(trail, KEYS, trusted);
        ChainVerifier.Report exported = TrailFixture.verifyExport(trail, KEYS, trusted);
        for (ChainVerifier.Report report : List.of(direct, exported)) {
            assertThat(report.valid()).as("%s", report).isFalse();
            assertThat(report.firstInvalidEntry()).as("%s", report).isEqualTo(expected);
            assertThat(report.problem()).isNotBlank();
            if (problem != null) {
                assertThat(report.problem()).contains(problem);
            }
        }
        assertThat(exported).usingRecursiveComparison().isEqualTo(direct);
    }

    // --- random content ------------------------------------------------------------------------------

    private static final String[] ALPHABET = {"a", "z", "Q", "0", "-", ":", ".", " ", "é", "ß", "中", "😀", "\"",
            "\\", "\n", "\t", "\0", "\u2028", "/", "<", "&"};

    static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        IntStream.range(0, length).forEach(i -> text.append(ALPHABET[random.nextInt(ALPHABET.length)]));
        return text.toString();
    }

    static CanonicalEntry randomEntry(Random random, String tenant, long seq) {
        if (random.nextInt(4) == 0) {
            return TrailFixture.entry(random, tenant, seq);
        }
        TreeMap<String, String> details = new TreeMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            details.put(randomText(random, 1 + random.nextInt(8)), randomText(random, random.nextInt(20)));
        }
        return new CanonicalEntry(tenant, seq, optional(random), optional(random), optional(random),
                optional(random), optional(random), optional(random), optional(random), optional(random),
                optional(random), details);
    }

    private static String optional(Random random) {
        return random.nextInt(6) == 0 ? null : randomText(random, random.nextInt(16));
    }
}
