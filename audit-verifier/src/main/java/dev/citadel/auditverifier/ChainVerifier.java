package dev.citadel.auditverifier;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Verifies one tenant's audit trail as a stream: the entries in sequence order, then the end. The
 * server's {@code GET …/audit/verification} and the offline verifier both use it.
 *
 * <p>What it checks, and what it reports as the first invalid entry:
 * <ul>
 * <li>each entry has the next sequence number from 1 on — a deleted or reordered entry, or one
 *     inserted with a number of its own, is reported at the first position whose number differs;
 * <li>each entry's stored previous hash is the chain hash of the entry before it, and its stored
 *     hash is {@code SHA-256(previous ‖ canonical entry)} — a modified field is reported at its
 *     entry, and an entry inserted, moved or replaced without the rest of the chain being
 *     recomputed at the first entry whose link or hash breaks (for an inserted entry whose own link
 *     is right, the entry after it);
 * <li>at every checkpoint's size: the Merkle tree head over the entries so far and the last chain
 *     hash equal the checkpoint's, and its Ed25519 signature verifies with one of the given keys —
 *     a chain re-hashed without the signing key, or a checkpoint signed with a foreign key, is
 *     reported at the first entry after the last smaller checkpoint that verified (the first entry
 *     no signed statement vouches for);
 * <li>every trusted checkpoint (one kept outside the database, or exported earlier) is matched at
 *     its size: another root there is a fork, reported as a failed checkpoint is (even when the
 *     trail has its own, validly signed checkpoint of that size: the two disagree about every entry
 *     since the last smaller checkpoint); a trail shorter than it was rolled back or truncated,
 *     reported at the first missing entry. A trusted checkpoint that matches vouches for the
 *     entries as the trail's own do;
 * <li>a checkpoint beyond the last entry means the tail was truncated, reported at the first
 *     missing entry; a checkpoint of a size below 1 is invalid, reported at entry 1;
 * <li>when the caller knows the chain's head (the server does), it must be the last entry: a head
 *     beyond the entries is reported at the first missing entry, entries beyond the head at the
 *     first of them, and another head hash at the last entry.
 * </ul>
 * Entries after the latest checkpoint are protected by the chain and the head only; the next
 * checkpoint covers them. Untampered trails always verify. Not thread-safe.
 */
public final class ChainVerifier {

    /** The outcome; {@code firstInvalidEntry} and {@code problem} are null when {@code valid}. */
    public record Report(boolean valid, long entries, String head, SignedCheckpoint latestCheckpoint,
            Long firstInvalidEntry, String problem) {}

    private final String tenant;
    private final Map<String, PublicKey> keys;
    private final List<SignedCheckpoint> checkpoints;
    private final List<SignedCheckpoint> trusted;
    private final MerkleAccumulator tree = new MerkleAccumulator();
    private int nextCheckpoint;
    private int nextTrusted;
    private byte[] previous = CanonicalEntry.genesis();
    private long entries;
    private long lastVouched;
    private SignedCheckpoint latestVerified;
    private Long firstInvalid;
    private String problem;

    /**
     * @param tenant      the trail's tenant; entries and checkpoints of another tenant are invalid
     * @param keys        the audit signing public keys by key id, from a trusted source
     * @param checkpoints the trail's own checkpoints, any order
     * @param trusted     checkpoints held outside the trail (a witness copy, an earlier export)
     */
    public ChainVerifier(String tenant, Map<String, PublicKey> keys, List<SignedCheckpoint> checkpoints,
            List<SignedCheckpoint> trusted) {
        this.tenant = tenant;
        this.keys = Map.copyOf(keys);
        this.checkpoints = sorted(checkpoints);
        this.trusted = sorted(trusted);
        Stream.concat(this.checkpoints.stream(), this.trusted.stream())
                .filter(checkpoint -> checkpoint.size() < 1)
                .findFirst()
                .ifPresent(checkpoint -> fail(1, "a checkpoint for size " + checkpoint.size()
                        + " (a checkpoint covers at least one entry)"));
    }

    private static List<SignedCheckpoint> sorted(List<SignedCheckpoint> list) {
        List<SignedCheckpoint> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingLong(SignedCheckpoint::size));
        return copy;
    }

    /** Whether nothing has failed yet. */
    public boolean valid() {
        return firstInvalid == null;
    }

    /**
     * The next stored entry: its canonical content and the previous hash and hash stored with it.
     * Returns whether the trail is still valid; after the first failure the rest are only counted.
     */
    public boolean accept(CanonicalEntry entry, byte[] storedPrevious, byte[] storedHash) {
        entries++;
        if (!valid()) {
            return false;
        }
        long expected = tree.size() + 1;
        if (entry.seq() != expected) {
            return fail(expected, "entry " + expected + " is missing or out of order"
                    + " (found " + entry.seq() + " in its place)");
        }
        if (!tenant.equals(entry.tenant())) {
            return fail(expected, "entry " + expected + " belongs to another tenant");
        }
        if (storedPrevious == null || !MessageDigest.isEqual(storedPrevious, previous)) {
            return fail(expected, "entry " + expected + " does not link to the entry before it");
        }
        byte[] hash = entry.chainHash(previous);
        if (storedHash == null || !MessageDigest.isEqual(storedHash, hash)) {
            return fail(expected, "entry " + expected + " does not match its hash (its content was changed)");
        }
        tree.append(MerkleTree.leafHash(hash));
        previous = hash;
        return checkAtSize(tree.size());
    }

    /**
     * Checks every trusted and trail checkpoint of this size. A failure is reported after the last
     * size below this one that a checkpoint vouched for: two statements about this size that
     * disagree leave every entry since then in doubt, not only those after it.
     */
    private boolean checkAtSize(long size) {
        long vouchedBelow = lastVouched;
        boolean vouched = false;
        while (nextTrusted < trusted.size() && trusted.get(nextTrusted).size() == size) {
            SignedCheckpoint witness = trusted.get(nextTrusted++);
            String why = check(witness);
            if (why != null) {
                return fail(vouchedBelow + 1, "trusted checkpoint at size " + size + ": " + why);
            }
            vouched = true;
        }
        while (nextCheckpoint < checkpoints.size() && checkpoints.get(nextCheckpoint).size() == size) {
            SignedCheckpoint checkpoint = checkpoints.get(nextCheckpoint++);
            String why = check(checkpoint);
            if (why != null) {
                return fail(vouchedBelow + 1, "checkpoint at size " + size + ": " + why);
            }
            latestVerified = checkpoint;
            vouched = true;
        }
        if (vouched) {
            lastVouched = size;
        }
        return true;
    }

    /** Null when the checkpoint is this tenant's, signed by a known key, and matches the tree now. */
    private String check(SignedCheckpoint checkpoint) {
        if (!tenant.equals(checkpoint.tenant())) {
            return "it belongs to another tenant";
        }
        PublicKey key = keys.get(checkpoint.keyId());
        if (key == null) {
            return "signed with an unknown key " + checkpoint.keyId();
        }
        if (!AuditKeys.verify(key, checkpoint.signedMessage(), checkpoint.signature())) {
            return "its signature does not verify";
        }
        if (!MessageDigest.isEqual(tree.root(), checkpoint.root())) {
            return "the entries' Merkle tree head differs from the signed one (a fork, or entries were rewritten)";
        }
        if (!MessageDigest.isEqual(previous, checkpoint.chainHead())) {
            return "the last chain hash differs from the signed one (a fork, or entries were rewritten)";
        }
        return null;
    }

    private boolean fail(long entry, String why) {
        if (firstInvalid == null) {
            firstInvalid = entry;
            problem = why;
        }
        return false;
    }

    /**
     * Ends the stream. {@code headSeq}/{@code headHash} are the chain head as stored apart from the
     * entries (null when unknown, as offline).
     */
    public Report finish(Long headSeq, byte[] headHash) {
        if (valid()) {
            long size = tree.size();
            if (nextCheckpoint < checkpoints.size()) {
                fail(size + 1, "a checkpoint covers " + checkpoints.getLast().size() + " entries but the trail has "
                        + size + " (its tail was truncated)");
            } else if (nextTrusted < trusted.size()) {
                fail(size + 1, "a trusted checkpoint covers " + trusted.getLast().size() + " entries but the trail has "
                        + size + " (it was truncated or rolled back)");
            } else if (headSeq != null && headSeq != size) {
                fail(Math.max(Math.min(headSeq, size), 0) + 1, "the chain head says " + headSeq + " entries but " + size
                        + " were found");
            } else if (headHash != null && !MessageDigest.isEqual(headHash, previous)) {
                fail(Math.max(size, 1), "the chain head's hash differs from the last entry's");
            }
        }
        return report();
    }

    /**
     * Ends the stream early because the input could not be read as entries (a malformed export
     * line): reported at the next entry, unless an earlier one already failed.
     */
    Report abort(String why) {
        fail(tree.size() + 1, why);
        return report();
    }

    private Report report() {
        return new Report(valid(), entries, Base64.getEncoder().encodeToString(previous), latestVerified,
                firstInvalid, problem);
    }
}
