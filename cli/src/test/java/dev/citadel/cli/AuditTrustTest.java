package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.auditverifier.MerkleTree;
import dev.citadel.auditverifier.SignedCheckpoint;

/** The kept checkpoint against a new one: same tree, extended (with a real RFC 9162 proof), shrunk or forked. */
class AuditTrustTest {

    @TempDir
    Path config;

    private final List<byte[]> leaves = new ArrayList<>();
    private final List<byte[]> forkedLeaves = new ArrayList<>();

    AuditTrustTest() {
        for (int i = 0; i < 40; i++) {
            leaves.add(MerkleTree.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
            forkedLeaves.add(MerkleTree.leafHash(((i == 3 ? "changed " : "entry ") + i).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private SignedCheckpoint checkpoint(List<byte[]> tree, int size) {
        return new SignedCheckpoint("hospital", size, MerkleTree.root(tree.subList(0, size)), new byte[32],
                "2026-11-23T05:00:00.000Z", "0011223344556677", new byte[64]);
    }

    private AuditTrust.Outcome compare(SignedCheckpoint kept, SignedCheckpoint now, List<byte[]> tree) {
        return new AuditTrust(new ConfigStore(config), "https://localhost:8443")
                .compare(kept, now, (from, to) -> MerkleTree.consistencyProof(tree.subList(0, (int) to), from));
    }

    @Test
    void aGrowingTrailIsConsistent() {
        assertThat(compare(checkpoint(leaves, 25), checkpoint(leaves, 40), leaves)).isInstanceOf(AuditTrust.Outcome.Extended.class);
        assertThat(compare(checkpoint(leaves, 25), checkpoint(leaves, 25), leaves)).isInstanceOf(AuditTrust.Outcome.Same.class);
        assertThat(compare(null, checkpoint(leaves, 25), leaves)).isInstanceOf(AuditTrust.Outcome.First.class);
    }

    @Test
    void aRewrittenTrailIsAFork() {
        assertThat(compare(checkpoint(leaves, 25), checkpoint(forkedLeaves, 40), forkedLeaves))
                .isInstanceOf(AuditTrust.Outcome.Forked.class);
        assertThat(compare(checkpoint(leaves, 25), checkpoint(forkedLeaves, 25), forkedLeaves))
                .isInstanceOf(AuditTrust.Outcome.Forked.class);
    }

    @Test
    void aShorterTrailShrank() {
        assertThat(compare(checkpoint(leaves, 40), checkpoint(leaves, 25), leaves)).isInstanceOf(AuditTrust.Outcome.Shrunk.class);
    }

    @Test
    void theKeptCheckpointRoundTripsThroughItsPrivateFile() {
        AuditTrust trust = new AuditTrust(new ConfigStore(config), "https://localhost:8443");
        assertThat(trust.kept("hospital")).isNull();
        SignedCheckpoint checkpoint = checkpoint(leaves, 25);
        trust.keep(checkpoint);
        assertThat(trust.kept("hospital").sameTree(checkpoint)).isTrue();
        assertThat(trust.checkpointFile("hospital")).isEqualTo("checkpoints/localhost_8443/hospital.json");
    }
}
