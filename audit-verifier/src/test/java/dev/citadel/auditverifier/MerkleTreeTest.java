package dev.citadel.auditverifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The tree built from RFC 6962's eight test leaves gives the roots and proofs in the
 * transparency-dev vectors, and the hashing primitives give the values everyone else uses.
 */
class MerkleTreeTest {

    /** The leaf inputs of RFC 6962's test data, as in transparency-dev/merkle's testdata. */
    static final List<byte[]> RFC6962_LEAF_INPUTS = List.of(
            hex(""), hex("00"), hex("10"), hex("2021"), hex("3031"), hex("40414243"),
            hex("5051525354555657"), hex("606162636465666768696a6b6c6d6e6f"));

    static final List<byte[]> LEAF_HASHES = RFC6962_LEAF_INPUTS.stream().map(MerkleTree::leafHash).toList();

    @Test
    void theEightTestLeavesGiveTheVectorsRootForSizeEight() {
        assertThat(b64(MerkleTree.root(LEAF_HASHES)))
                .isEqualTo("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=")
                .isEqualTo(b64(Vectors.inclusion(Vectors.root().resolve("inclusion/1/happy-path.json")).root()));
    }

    @Test
    void everyRootNamedInTheHappyPathsIsTheRootOfThatPrefix() {
        Map<Long, String> roots = new TreeMap<>();
        for (Vectors.Inclusion p : happyInclusions()) {
            roots.put(p.treeSize(), b64(p.root()));
        }
        for (Vectors.Consistency p : happyConsistencies()) {
            roots.put(p.size1(), b64(p.root1()));
            roots.put(p.size2(), b64(p.root2()));
        }
        assertThat(roots).isNotEmpty();
        roots.forEach((size, root) -> assertThat(b64(MerkleTree.root(LEAF_HASHES.subList(0, size.intValue()))))
                .as("root of size %d", size).isEqualTo(root));
    }

    @Test
    void generatedInclusionProofsEqualTheHappyPaths() {
        List<Vectors.Inclusion> happy = happyInclusions();
        assertThat(happy).hasSizeGreaterThanOrEqualTo(5);
        for (Vectors.Inclusion p : happy) {
            List<byte[]> leaves = LEAF_HASHES.subList(0, (int) p.treeSize());
            assertThat(p.leafHash()).as(p.path()).isEqualTo(leaves.get((int) p.leafIdx()));
            assertThat(b64All(MerkleTree.inclusionProof(leaves, p.leafIdx()))).as(p.path()).isEqualTo(b64All(p.proof()));
        }
    }

    @Test
    void generatedConsistencyProofsEqualTheHappyPaths() {
        List<Vectors.Consistency> happy = happyConsistencies();
        assertThat(happy).hasSizeGreaterThanOrEqualTo(5);
        for (Vectors.Consistency p : happy) {
            List<byte[]> leaves = LEAF_HASHES.subList(0, (int) p.size2());
            assertThat(b64All(MerkleTree.consistencyProof(leaves, p.size1()))).as(p.path()).isEqualTo(b64All(p.proof()));
        }
    }

    @Test
    void primitivesAreSha256WithTheRfcPrefixes() {
        // SHA-256("") and SHA-256(0x00): the empty tree, and the leaf hash of the empty entry.
        assertThat(HexFormat.of().formatHex(MerkleTree.emptyRoot()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(b64(MerkleTree.leafHash(new byte[0])))
                .isEqualTo("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=");
        assertThat(MerkleTree.root(List.of())).isEqualTo(MerkleTree.emptyRoot());
        assertThat(MerkleTree.root(LEAF_HASHES.subList(0, 2)))
                .isEqualTo(MerkleTree.nodeHash(LEAF_HASHES.get(0), LEAF_HASHES.get(1)));
        assertThat(MerkleTree.root(LEAF_HASHES.subList(0, 1))).isEqualTo(LEAF_HASHES.get(0));
    }

    @Test
    void theAccumulatorAgreesAtEverySizeOfTheTestTree() {
        MerkleAccumulator accumulator = new MerkleAccumulator();
        assertThat(accumulator.root()).isEqualTo(MerkleTree.emptyRoot());
        for (int n = 1; n <= LEAF_HASHES.size(); n++) {
            accumulator.append(LEAF_HASHES.get(n - 1));
            assertThat(accumulator.size()).isEqualTo(n);
            assertThat(accumulator.root()).isEqualTo(MerkleTree.root(LEAF_HASHES.subList(0, n)));
        }
    }

    /** Happy paths built from the eight test leaves (the single-entry one uses a leaf of its own). */
    private static List<Vectors.Inclusion> happyInclusions() {
        return Vectors.inclusions().stream()
                .filter(p -> p.path().endsWith("/happy-path.json"))
                .toList();
    }

    private static List<Vectors.Consistency> happyConsistencies() {
        return Vectors.consistencies().stream()
                .filter(p -> p.path().endsWith("/happy-path.json"))
                .toList();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static List<String> b64All(List<byte[]> hashes) {
        return hashes.stream().map(MerkleTreeTest::b64).toList();
    }
}
