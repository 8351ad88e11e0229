package dev.citadel.auditverifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every transparency-dev/merkle probe in the shared folder: the verifier accepts each file with
 * {@code wantErr: false} and rejects each with {@code wantErr: true}, one test per file, named after
 * its path.
 */
class MerkleVectorsTest {

    /**
     * Files where Citadel is deliberately stricter than the Go library that wrote them. The single
     * one: equal sizes with equal 12-byte "roots" ({@code "don't care 2"}); Go compares the bytes and
     * accepts, Citadel rejects every hash that is not 32 bytes, everywhere (ADR 0023).
     * {@link #strictnessIsTheOnlyReasonForEachDeviation} shows the same probe with real hashes
     * passes, so nothing else is hidden behind the entry.
     */
    static final Map<String, String> STRICTER_THAN_UPSTREAM = Map.of(
            "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json",
            "roots are 12 bytes, not SHA-256 hashes");

    @TestFactory
    Stream<DynamicTest> inclusionProbes() {
        List<Vectors.Inclusion> probes = Vectors.inclusions();
        assertThat(probes).hasSizeGreaterThan(0);
        return probes.stream().map(p -> dynamicTest(p.path() + " (" + p.desc() + ")", () -> {
            boolean accepted = MerkleTree.verifyInclusion(
                    p.leafIdx(), p.treeSize(), p.leafHash(), p.proof(), p.root());
            assertThat(accepted).as("%s (wantErr %s) accepted", p.path(), p.wantErr()).isEqualTo(expectAccepted(p.path(), p.wantErr()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> consistencyProbes() {
        List<Vectors.Consistency> probes = Vectors.consistencies();
        assertThat(probes).hasSizeGreaterThan(0);
        return probes.stream().map(p -> dynamicTest(p.path() + " (" + p.desc() + ")", () -> {
            boolean accepted = MerkleTree.verifyConsistency(
                    p.size1(), p.size2(), p.root1(), p.root2(), p.proof());
            assertThat(accepted).as("%s (wantErr %s) accepted", p.path(), p.wantErr()).isEqualTo(expectAccepted(p.path(), p.wantErr()));
        }));
    }

    @Test
    void theVectorsAreAllThere() {
        // Both kinds, the "additional" edge cases, happy paths and corrupted probes (README beside them).
        List<String> inclusion = Vectors.files("inclusion").stream().map(Vectors::name).toList();
        List<String> consistency = Vectors.files("consistency").stream().map(Vectors::name).toList();
        assertThat(inclusion).contains("inclusion/1/happy-path.json",
                "inclusion/additional/0/random-leaf.json", "inclusion/single-entry/empty-leaf.json");
        assertThat(consistency).contains("consistency/1/happy-path.json",
                "consistency/additional/size1-is-greater-than-size2.json");
        assertThat(inclusion.size() + consistency.size()).isEqualTo(196);
    }

    @Test
    void strictnessIsTheOnlyReasonForEachDeviation() {
        List<Vectors.Consistency> deviations = Vectors.consistencies().stream()
                .filter(p -> STRICTER_THAN_UPSTREAM.containsKey(p.path()))
                .toList();
        assertThat(deviations).hasSize(STRICTER_THAN_UPSTREAM.size());
        byte[] realRoot = MerkleTree.leafHash(new byte[0]);
        for (Vectors.Consistency p : deviations) {
            assertThat(p.wantErr()).isFalse();
            assertThat(p.root1()).isEqualTo(p.root2()).hasSize(12);
            assertThat(MerkleTree.verifyConsistency(p.size1(), p.size2(), p.root1(), p.root2(), p.proof()))
                    .isFalse();
            assertThat(MerkleTree.verifyConsistency(p.size1(), p.size2(), realRoot, realRoot.clone(), p.proof()))
                    .isTrue();
        }
    }

    private static boolean expectAccepted(String path, boolean wantErr) {
        return !wantErr && !STRICTER_THAN_UPSTREAM.containsKey(path);
    }
}
