package dev.citadel.auditverifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * Malformed input never verifies and never throws from the verifiers; the generating side refuses
 * it with {@link IllegalArgumentException}.
 */
class MalformedInputTest {

    static final List<byte[]> LEAVES = IntStream.range(0, 13)
            .mapToObj(i -> MerkleTree.leafHash(("entry-" + i).getBytes(StandardCharsets.UTF_8)))
            .toList();

    // A valid fixture for every case: leaf 5 of 13, and consistency 6 -> 13.
    static final long INDEX = 5;
    static final long SIZE = 13;
    static final byte[] LEAF = LEAVES.get(5);
    static final byte[] ROOT = MerkleTree.root(LEAVES);
    static final List<byte[]> PATH = MerkleTree.inclusionProof(LEAVES, INDEX);
    static final long SIZE1 = 6;
    static final byte[] ROOT1 = MerkleTree.root(LEAVES.subList(0, 6));
    static final List<byte[]> CONSISTENCY = MerkleTree.consistencyProof(LEAVES, SIZE1);

    @Test
    void theFixtureItselfVerifies() {
        assertThat(PATH).hasSize(4);
        assertThat(MerkleTree.verifyInclusion(INDEX, SIZE, LEAF, PATH, ROOT)).isTrue();
        assertThat(MerkleTree.verifyConsistency(SIZE1, SIZE, ROOT1, ROOT, CONSISTENCY)).isTrue();
    }

    @Test
    void inclusionRejectsBadIndicesAndSizes() {
        for (long[] indexAndSize : new long[][] {
                {-1, SIZE}, {INDEX, -1}, {INDEX, 0}, {-1, -1}, {SIZE, SIZE}, {SIZE + 1, SIZE},
                {Long.MIN_VALUE, SIZE}, {INDEX, Long.MIN_VALUE}, {Long.MAX_VALUE, SIZE},
                {INDEX, Long.MAX_VALUE}, {Long.MAX_VALUE - 1, Long.MAX_VALUE}, {0, 0}}) {
            assertRejectedInclusion(indexAndSize[0], indexAndSize[1], LEAF, PATH, ROOT);
        }
    }

    @Test
    void inclusionRejectsHashesOfTheWrongLength() {
        for (byte[] bad : badHashes()) {
            assertRejectedInclusion(INDEX, SIZE, bad, PATH, ROOT);
            assertRejectedInclusion(INDEX, SIZE, LEAF, PATH, bad);
            for (int i = 0; i < PATH.size(); i++) {
                List<byte[]> proof = new ArrayList<>(PATH);
                proof.set(i, bad);
                assertRejectedInclusion(INDEX, SIZE, LEAF, proof, ROOT);
            }
        }
        // A one-leaf tree: the leaf hash is the root; still refused unless it is a hash.
        byte[] shortHash = new byte[31];
        assertRejectedInclusion(0, 1, shortHash, List.of(), shortHash);
    }

    @Test
    void inclusionRejectsNullsAndProofsOfTheWrongShape() {
        assertRejectedInclusion(INDEX, SIZE, LEAF, null, ROOT);
        assertRejectedInclusion(INDEX, SIZE, LEAF, Arrays.asList(PATH.get(0), null, PATH.get(2), PATH.get(3)), ROOT);
        assertRejectedInclusion(INDEX, SIZE, LEAF, List.of(), ROOT);
        assertRejectedInclusion(INDEX, SIZE, LEAF, PATH.subList(0, PATH.size() - 1), ROOT);
        assertRejectedInclusion(INDEX, SIZE, LEAF, concat(PATH, ROOT), ROOT);
        assertRejectedInclusion(INDEX, SIZE, LEAF, Collections.nCopies(65, LEAF), ROOT);
        assertRejectedInclusion(0, 1, LEAF, List.of(LEAF), LEAF);
        // The largest tree: a short proof is refused, not looped on.
        assertRejectedInclusion(0, Long.MAX_VALUE, LEAF, PATH, ROOT);
        assertRejectedInclusion(Long.MAX_VALUE - 1, Long.MAX_VALUE, LEAF, Collections.nCopies(64, LEAF), ROOT);
    }

    @Test
    void consistencyRejectsBadSizes() {
        for (long[] sizes : new long[][] {
                {-1, SIZE}, {SIZE1, -1}, {-1, -1}, {0, SIZE}, {0, 0}, {SIZE + 1, SIZE}, {SIZE, SIZE1},
                {Long.MIN_VALUE, SIZE}, {SIZE1, Long.MIN_VALUE}, {Long.MAX_VALUE, SIZE},
                {SIZE1, Long.MAX_VALUE}, {SIZE1 - 1, SIZE}, {SIZE1 + 1, SIZE}}) {
            assertRejectedConsistency(sizes[0], sizes[1], ROOT1, ROOT, CONSISTENCY);
        }
        assertRejectedConsistency(0, 0, MerkleTree.emptyRoot(), MerkleTree.emptyRoot(), List.of());
    }

    @Test
    void consistencyRejectsHashesOfTheWrongLength() {
        for (byte[] bad : badHashes()) {
            assertRejectedConsistency(SIZE1, SIZE, bad, ROOT, CONSISTENCY);
            assertRejectedConsistency(SIZE1, SIZE, ROOT1, bad, CONSISTENCY);
            for (int i = 0; i < CONSISTENCY.size(); i++) {
                List<byte[]> proof = new ArrayList<>(CONSISTENCY);
                proof.set(i, bad);
                assertRejectedConsistency(SIZE1, SIZE, ROOT1, ROOT, proof);
            }
            // Equal sizes compare the roots only, but a root must still be a hash (ADR 0023).
            if (bad != null) {
                assertRejectedConsistency(SIZE, SIZE, bad, bad.clone(), List.of());
            }
        }
        assertThat(MerkleTree.verifyConsistency(SIZE, SIZE, ROOT, ROOT.clone(), List.of())).isTrue();
    }

    @Test
    void consistencyRejectsNullsAndProofsOfTheWrongShape() {
        assertRejectedConsistency(SIZE1, SIZE, ROOT1, ROOT, null);
        assertRejectedConsistency(SIZE, SIZE, ROOT, ROOT, null);
        List<byte[]> withNull = new ArrayList<>(CONSISTENCY);
        withNull.set(0, null);
        assertRejectedConsistency(SIZE1, SIZE, ROOT1, ROOT, withNull);
        assertRejectedConsistency(SIZE1, SIZE, ROOT1, ROOT, List.of());
        assertRejectedConsistency(SIZE, SIZE, ROOT, ROOT, List.of(ROOT));
        assertRejectedConsistency(SIZE1, SIZE, ROOT1, ROOT, CONSISTENCY.subList(1, CONSISTENCY.size()));
        assertRejectedConsistency(SIZE1, SIZE, ROOT1, ROOT, concat(CONSISTENCY, ROOT));
        assertRejectedConsistency(SIZE1, SIZE, ROOT1, ROOT, Collections.nCopies(65, ROOT));
        assertRejectedConsistency(1, Long.MAX_VALUE, LEAVES.get(0), ROOT, Collections.nCopies(64, ROOT));
        assertRejectedConsistency(Long.MAX_VALUE - 1, Long.MAX_VALUE, ROOT1, ROOT, Collections.nCopies(64, ROOT));
    }

    /**
     * Not a defect but a limit of RFC 9162's proofs, pinned so nobody relies on more: a proof
     * authenticates the roots, not the sizes. A root paired with another size whose proof path
     * has the same shape still verifies, so a caller must take each size from the same signed
     * checkpoint as its root.
     */
    @Test
    void aProofAuthenticatesRootsNotSizes() {
        assertThat(MerkleTree.verifyConsistency(SIZE1, SIZE - 1, ROOT1, ROOT, CONSISTENCY)).isTrue();
        assertThat(MerkleTree.verifyInclusion(0, SIZE + 2, LEAVES.get(0), MerkleTree.inclusionProof(LEAVES, 0), ROOT))
                .isTrue();
    }

    @Test
    void generatorsRefuseMalformedArguments() {
        assertThatThrownBy(() -> MerkleTree.root(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.root(Arrays.asList(LEAF, null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.root(List.of(LEAF, new byte[31]))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.inclusionProof(LEAVES, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.inclusionProof(LEAVES, SIZE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.inclusionProof(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.inclusionProof(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.consistencyProof(LEAVES, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.consistencyProof(LEAVES, SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.consistencyProof(LEAVES, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.consistencyProof(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.nodeHash(LEAF, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.nodeHash(null, LEAF)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.leafHash(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theAccumulatorRefusesNonHashesAndKeepsItsState() {
        MerkleAccumulator accumulator = new MerkleAccumulator();
        accumulator.append(LEAF);
        byte[] before = accumulator.root();
        assertThatThrownBy(() -> accumulator.append(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accumulator.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accumulator.append(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThat(accumulator.size()).isEqualTo(1);
        assertThat(accumulator.root()).isEqualTo(before);
    }

    @Test
    void callersCannotChangeWhatTheyWereGiven() {
        MerkleAccumulator accumulator = new MerkleAccumulator();
        byte[] leaf = LEAF.clone();
        accumulator.append(leaf);
        leaf[0] ^= 1;
        byte[] root = accumulator.root();
        root[0] ^= 1;
        assertThat(accumulator.root()).isEqualTo(LEAF);
        assertThat(MerkleTree.emptyRoot()).isNotSameAs(MerkleTree.emptyRoot());
        assertThatThrownBy(() -> PATH.add(LEAF)).isInstanceOf(UnsupportedOperationException.class);
    }

    /** Null, empty, one short, one long, and the 12-byte "don't care" root of the vectors. */
    private static List<byte[]> badHashes() {
        return Arrays.asList(null, new byte[0], Arrays.copyOf(ROOT, 31), Arrays.copyOf(ROOT, 33),
                "don't care 2".getBytes(StandardCharsets.UTF_8), new byte[64]);
    }

    private static void assertRejectedInclusion(long index, long size, byte[] leaf, List<byte[]> proof, byte[] root) {
        boolean[] accepted = {true};
        assertThatCode(() -> accepted[0] = MerkleTree.verifyInclusion(index, size, leaf, proof, root))
                .doesNotThrowAnyException();
        assertThat(accepted[0]).as("inclusion of %d in %d accepted", index, size).isFalse();
    }

    private static void assertRejectedConsistency(long size1, long size2, byte[] root1, byte[] root2,
                                                  List<byte[]> proof) {
        boolean[] accepted = {true};
        assertThatCode(() -> accepted[0] = MerkleTree.verifyConsistency(size1, size2, root1, root2, proof))
                .doesNotThrowAnyException();
        assertThat(accepted[0]).as("consistency %d -> %d accepted", size1, size2).isFalse();
    }

    private static List<byte[]> concat(List<byte[]> proof, byte[] extra) {
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(extra);
        return longer;
    }
}
