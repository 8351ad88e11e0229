package dev.citadel.auditverifier;

/**
 * A Merkle tree that is only appended to and only asked for its root, kept in O(log n) memory so a
 * verifier can stream millions of audit entries: the compact range {@code [0, size)}, i.e. the
 * roots of the perfect subtrees that make up the tree of RFC 6962 §2.1 (one per set bit of
 * {@code size}, largest first).
 *
 * <p>Security guarantees: after appending leaf hashes {@code h0 … h(n-1)}, {@link #root()} equals
 * {@link MerkleTree#root}{@code (List.of(h0, …, h(n-1)))}, the RFC 6962 Merkle Tree Hash, at every
 * {@code n}. Appending costs at most log2(n) node hashes (one on average); {@link #root()} costs
 * one node hash per set bit of {@code n} less one, so asking for the root after every append is
 * cheap. Not thread-safe.
 */
public final class MerkleAccumulator {

    /** Roots of the perfect subtrees, largest (leftmost) first; {@code Long.bitCount(size)} used. */
    private final byte[][] subtrees = new byte[Long.SIZE][];
    private int count;
    private long size;

    /** An empty tree; its {@link #root()} is {@link MerkleTree#emptyRoot()}. */
    public MerkleAccumulator() {
    }

    /**
     * Appends the next leaf.
     *
     * @param leafHash the entry's {@link MerkleTree#leafHash} (copied)
     * @throws IllegalArgumentException if {@code leafHash} is null or not
     *                                  {@value MerkleTree#HASH_LENGTH} bytes
     * @throws IllegalStateException    if the tree already holds {@link Long#MAX_VALUE} leaves
     */
    public void append(byte[] leafHash) {
        MerkleTree.requireHash(leafHash, "leaf hash");
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("tree is full");
        }
        byte[] carry = leafHash.clone();
        // Each trailing one bit of size is a perfect subtree of the new leaf's height: merge them.
        for (long s = size; (s & 1) == 1; s >>>= 1) {
            carry = MerkleTree.nodeHash(subtrees[--count], carry);
        }
        subtrees[count++] = carry;
        size++;
    }

    /**
     * Resumes a tree from its compact range, as {@link #frontier()} gave it. The caller must trust
     * the frontier: check {@link #root()} against a signed root before appending to it.
     *
     * @throws IllegalArgumentException unless {@code frontier} holds one 32-byte hash per set bit of
     *                                  {@code size}
     */
    public static MerkleAccumulator resume(long size, java.util.List<byte[]> frontier) {
        if (size < 0 || frontier == null || frontier.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a frontier holds one hash per set bit of the size");
        }
        MerkleAccumulator tree = new MerkleAccumulator();
        for (byte[] hash : frontier) {
            MerkleTree.requireHash(hash, "frontier hash");
            tree.subtrees[tree.count++] = hash.clone();
        }
        tree.size = size;
        return tree;
    }

    /** The compact range: the perfect subtrees' roots, largest first (copies). */
    public java.util.List<byte[]> frontier() {
        java.util.List<byte[]> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(subtrees[i].clone());
        }
        return out;
    }

    /** The number of leaves appended so far. */
    public long size() {
        return size;
    }

    /**
     * The RFC 6962 Merkle Tree Hash of the leaves appended so far, as a new array.
     *
     * @return 32 bytes; {@link MerkleTree#emptyRoot()} before the first append
     */
    public byte[] root() {
        if (count == 0) {
            return MerkleTree.emptyRoot();
        }
        byte[] root = subtrees[count - 1].clone();
        for (int i = count - 2; i >= 0; i--) {
            root = MerkleTree.nodeHash(subtrees[i], root);
        }
        return root;
    }
}
