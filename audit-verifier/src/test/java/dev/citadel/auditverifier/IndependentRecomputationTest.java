package dev.citadel.auditverifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 1,000 appended audit "events" checked against a Merkle Tree Hash written here straight from
 * RFC 6962 §2.1, sharing no code with the implementation, and every proof checked to fail when
 * anything about it is changed.
 */
class IndependentRecomputationTest {

    static final int EVENTS = 1000;

    static List<byte[]> data;
    static List<byte[]> leafHashes;
    /** {@code naiveRoots[n]} is the naive MTH of the first n events. */
    static byte[][] naiveRoots;

    @BeforeAll
    static void appendEvents() {
        data = IntStream.range(0, EVENTS)
                .mapToObj(i -> ("event-" + i).getBytes(StandardCharsets.UTF_8))
                .toList();
        leafHashes = data.stream().map(MerkleTree::leafHash).toList();
        naiveRoots = new byte[EVENTS + 1][];
        for (int n = 0; n <= EVENTS; n++) {
            naiveRoots[n] = naiveMth(data.subList(0, n));
        }
    }

    @Test
    void rootAndAccumulatorEqualTheNaiveHashAtEverySize() {
        MerkleAccumulator accumulator = new MerkleAccumulator();
        for (int n = 0; n <= EVENTS; n++) {
            if (n > 0) {
                assertThat(leafHashes.get(n - 1)).isEqualTo(naiveLeaf(data.get(n - 1)));
                accumulator.append(leafHashes.get(n - 1));
            }
            assertThat(MerkleTree.root(leafHashes.subList(0, n))).as("root at %d", n).isEqualTo(naiveRoots[n]);
            assertThat(accumulator.root()).as("accumulator at %d", n).isEqualTo(naiveRoots[n]);
            assertThat(accumulator.size()).isEqualTo(n);
        }
    }

    @ParameterizedTest(name = "tree of {0}")
    @ValueSource(ints = {1, 2, 3, 7, 8, 9, 255, 256, 257, 1000})
    void everyInclusionProofVerifiesAndBreaksWhenAnythingChanges(int size) {
        List<byte[]> leaves = leafHashes.subList(0, size);
        byte[] root = naiveRoots[size];
        byte[] otherRoot = naiveRoots[size == 1 ? 2 : size - 1];
        for (int index = 0; index < size; index++) {
            List<byte[]> proof = MerkleTree.inclusionProof(leaves, index);
            byte[] leaf = leaves.get(index);
            String at = "index " + index + " of " + size;

            assertThat(MerkleTreeTest.b64All(proof)).as(at)
                    .isEqualTo(MerkleTreeTest.b64All(naivePath(data.subList(0, size), index)));
            assertThat(MerkleTree.verifyInclusion(index, size, leaf, proof, root)).as(at).isTrue();

            for (int i = 0; i < proof.size(); i++) {
                List<byte[]> flipped = withFlippedBit(proof, i, (index + i) % (8 * MerkleTree.HASH_LENGTH));
                assertThat(MerkleTree.verifyInclusion(index, size, leaf, flipped, root))
                        .as("%s, proof[%d] flipped", at, i).isFalse();
            }
            assertThat(MerkleTree.verifyInclusion(index + 1, size, leaf, proof, root)).as(at + ", index+1").isFalse();
            assertThat(MerkleTree.verifyInclusion(index - 1, size, leaf, proof, root)).as(at + ", index-1").isFalse();
            assertThat(MerkleTree.verifyInclusion(index, size, leaf, proof, otherRoot)).as(at + ", other root").isFalse();
            if (size < EVENTS) {
                assertThat(MerkleTree.verifyInclusion(index, size + 1, leaf, proof, naiveRoots[size + 1]))
                        .as(at + ", next size").isFalse();
            }
            assertThat(MerkleTree.verifyInclusion(index, size, flipBit(leaf, 0), proof, root)).as(at + ", leaf").isFalse();
            assertThat(MerkleTree.verifyInclusion(index, size, naiveLeaf(data.get(index)), proof, root)).isTrue();
        }
    }

    @Test
    void consistencyProofsForAllSizesUpToTwentyVerifyAndBreak() {
        for (int n = 1; n <= 20; n++) {
            for (int m = 1; m <= n; m++) {
                checkConsistency(m, n);
            }
        }
    }

    @Test
    void consistencyProofsForASampleOfPrefixesOfAThousandVerifyAndBreak() {
        TreeSet<Integer> sizes = new TreeSet<>(List.of(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33,
                100, 127, 128, 129, 255, 256, 257, 488, 500, 511, 512, 513, 767, 768, 998, 999, 1000));
        Random random = new Random(6962);
        while (sizes.size() < 60) {
            sizes.add(1 + random.nextInt(EVENTS));
        }
        for (int m : sizes) {
            checkConsistency(m, EVENTS);
        }
        for (int n : List.of(2, 3, 5, 64, 65, 300, 777)) {
            for (int m : sizes.headSet(n, true)) {
                checkConsistency(m, n);
            }
        }
    }

    private static void checkConsistency(int m, int n) {
        List<byte[]> proof = MerkleTree.consistencyProof(leafHashes.subList(0, n), m);
        byte[] root1 = naiveRoots[m];
        byte[] root2 = naiveRoots[n];
        String at = m + " -> " + n;

        assertThat(MerkleTreeTest.b64All(proof)).as(at).isEqualTo(MerkleTreeTest.b64All(naiveProof(data.subList(0, n), m)));
        assertThat(MerkleTree.verifyConsistency(m, n, root1, root2, proof)).as(at).isTrue();

        for (int i = 0; i < proof.size(); i++) {
            assertThat(MerkleTree.verifyConsistency(m, n, root1, root2, withFlippedBit(proof, i, (m + n + i) % 256)))
                    .as("%s, proof[%d] flipped", at, i).isFalse();
            List<byte[]> dropped = new ArrayList<>(proof);
            dropped.remove(i);
            assertThat(MerkleTree.verifyConsistency(m, n, root1, root2, dropped))
                    .as("%s, proof[%d] dropped", at, i).isFalse();
        }
        for (int i = 0; i <= proof.size(); i++) {
            for (byte[] extra : List.of(root1, root2, MerkleTree.emptyRoot())) {
                List<byte[]> added = new ArrayList<>(proof);
                added.add(i, extra);
                assertThat(MerkleTree.verifyConsistency(m, n, root1, root2, added))
                        .as("%s, hash added at %d", at, i).isFalse();
            }
        }
        if (m < n) {
            assertThat(MerkleTree.verifyConsistency(m, n, root2, root1, proof)).as(at + ", swapped").isFalse();
            assertThat(MerkleTree.verifyConsistency(m, n, flipBit(root1, 7), root2, proof)).as(at + ", root1").isFalse();
            assertThat(MerkleTree.verifyConsistency(m, n, root1, flipBit(root2, 7), proof)).as(at + ", root2").isFalse();
            if (m > 1) {
                assertThat(MerkleTree.verifyConsistency(m - 1, n, naiveRoots[m - 1], root2, proof))
                        .as(at + ", size1-1").isFalse();
            }
            assertThat(MerkleTree.verifyConsistency(m, n - 1, root1, naiveRoots[n - 1], proof))
                    .as(at + ", size2-1").isFalse();
        } else {
            assertThat(proof).isEmpty();
            assertThat(MerkleTree.verifyConsistency(m, n, root1, flipBit(root2, 7), proof)).as(at + ", root2").isFalse();
        }
        assertThat(MerkleTree.verifyConsistency(0, n, MerkleTree.emptyRoot(), root2, List.of()))
                .as("from the empty tree").isFalse();
    }

    // ---- RFC 6962 §2.1, written from the text with its own SHA-256 calls ----

    static byte[] naiveMth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return sha256(new byte[0]);
        }
        if (n == 1) {
            return naiveLeaf(d.get(0));
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2; // the largest power of two smaller than n
        }
        return sha256(new byte[] {0x01}, naiveMth(d.subList(0, k)), naiveMth(d.subList(k, n)));
    }

    static byte[] naiveLeaf(byte[] d) {
        return sha256(new byte[] {0x00}, d);
    }

    /** RFC 6962 §2.1.1 PATH(m, D[n]). */
    static List<byte[]> naivePath(List<byte[]> d, int m) {
        int n = d.size();
        if (n == 1) {
            return new ArrayList<>();
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        List<byte[]> path;
        if (m < k) {
            path = naivePath(d.subList(0, k), m);
            path.add(naiveMth(d.subList(k, n)));
        } else {
            path = naivePath(d.subList(k, n), m - k);
            path.add(naiveMth(d.subList(0, k)));
        }
        return path;
    }

    /** RFC 6962 §2.1.2 PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
    static List<byte[]> naiveProof(List<byte[]> d, int m) {
        return naiveSubproof(m, d, true);
    }

    private static List<byte[]> naiveSubproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        if (m == n) {
            List<byte[]> proof = new ArrayList<>();
            if (!b) {
                proof.add(naiveMth(d));
            }
            return proof;
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        List<byte[]> proof;
        if (m <= k) {
            proof = naiveSubproof(m, d.subList(0, k), b);
            proof.add(naiveMth(d.subList(k, n)));
        } else {
            proof = naiveSubproof(m - k, d.subList(k, n), false);
            proof.add(naiveMth(d.subList(0, k)));
        }
        return proof;
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static List<byte[]> withFlippedBit(List<byte[]> proof, int element, int bit) {
        List<byte[]> copy = new ArrayList<>(proof);
        copy.set(element, flipBit(proof.get(element), bit));
        return copy;
    }

    static byte[] flipBit(byte[] hash, int bit) {
        byte[] copy = hash.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }
}
