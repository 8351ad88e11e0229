package dev.citadel.auditverifier;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Merkle tree of RFC 6962 §2.1 (restated in RFC 9162 §2.1) over SHA-256: hashing, proof
 * generation and proof verification for the audit trail's checkpoints.
 *
 * <p>Security guarantees: hashes are SHA-256 from the JDK with the RFC's domain separation, a
 * {@code 0x00} prefix for leaves and {@code 0x01} for interior nodes, so a leaf can never be passed
 * off as an interior node. The two {@code verify…} methods follow RFC 9162 §2.1.3.2 and §2.1.4.2
 * step by step; they return {@code false} for every malformed input (negative or inconsistent
 * sizes, {@code null} arguments or list elements, any hash that is not exactly {@value #HASH_LENGTH}
 * bytes, proofs of the wrong length) and never throw. They compare hashes with
 * {@link MessageDigest#isEqual}. What they do not prove: that a root is the one the log signed —
 * checking the checkpoint's signature is the caller's job — nor the tree sizes: a proof
 * authenticates roots, and a root passed with another size whose proof path has the same shape
 * verifies too, so each size must come from the same signed checkpoint as its root. Nothing is
 * proved from a tree of size 0 (its root is {@link #emptyRoot()}; every tree extends it).
 *
 * <p>The generating methods ({@link #root}, {@link #inclusionProof}, {@link #consistencyProof}) are
 * for the side that holds all leaves; they throw {@link IllegalArgumentException} or
 * {@link NullPointerException} on bad arguments, because a bad argument there is a programming
 * error, not evidence.
 */
public final class MerkleTree {

    /** Length in bytes of every hash: leaf hashes, node hashes, roots and proof elements. */
    public static final int HASH_LENGTH = 32;

    /** No proof for a tree of at most 2^63 - 1 leaves has more elements than this. */
    private static final int MAX_PROOF_LENGTH = 64;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleTree() {
    }

    /**
     * The leaf hash of RFC 6962 §2.1: {@code SHA-256(0x00 || data)}.
     *
     * @param data the entry's bytes, of any length (an empty array is a valid entry)
     * @return a new 32-byte array
     * @throws NullPointerException if {@code data} is null
     */
    public static byte[] leafHash(byte[] data) {
        Objects.requireNonNull(data, "data");
        MessageDigest sha256 = sha256();
        sha256.update(LEAF_PREFIX);
        sha256.update(data);
        return sha256.digest();
    }

    /**
     * The interior node hash of RFC 6962 §2.1: {@code SHA-256(0x01 || left || right)}.
     *
     * @return a new 32-byte array
     * @throws IllegalArgumentException if either child is null or not {@value #HASH_LENGTH} bytes
     */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        requireHash(left, "left");
        requireHash(right, "right");
        MessageDigest sha256 = sha256();
        sha256.update(NODE_PREFIX);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    /** The root of the empty tree, RFC 6962 §2.1: {@code SHA-256("")}, as a new array. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /**
     * The Merkle Tree Hash (RFC 6962 §2.1) of already hashed leaves, in O(n) time and O(log n)
     * extra memory.
     *
     * @param leafHashes the leaves' {@link #leafHash}es, in log order; may be empty
     * @return a new 32-byte array; {@link #emptyRoot()} for no leaves
     * @throws IllegalArgumentException if the list or an element is null or an element is not
     *                                  {@value #HASH_LENGTH} bytes
     */
    public static byte[] root(List<byte[]> leafHashes) {
        requireLeaves(leafHashes);
        return subtreeRoot(leafHashes, 0, leafHashes.size());
    }

    /**
     * The audit path of RFC 6962 §2.1.1 ({@code PATH(m, D[n])}) for leaf {@code index} in the tree
     * of all {@code leafHashes}: the sibling hashes from the leaf up to the root, in the order
     * {@link #verifyInclusion} consumes them. O(n) time.
     *
     * @return a new, unmodifiable list of new arrays; empty for a tree of one leaf
     * @throws IllegalArgumentException if {@code index} is not in {@code [0, leafHashes.size())} or
     *                                  the leaves are malformed as for {@link #root}
     */
    public static List<byte[]> inclusionProof(List<byte[]> leafHashes, long index) {
        requireLeaves(leafHashes);
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException(
                    "index " + index + " is not in a tree of " + leafHashes.size() + " leaves");
        }
        List<byte[]> path = new ArrayList<>();
        path(leafHashes, (int) index, 0, leafHashes.size(), path);
        return List.copyOf(path);
    }

    /**
     * The consistency proof of RFC 6962 §2.1.2 ({@code PROOF(m, D[n])}) between the tree of the
     * first {@code size1} leaves and the tree of all {@code leafHashes}, in the order
     * {@link #verifyConsistency} consumes them. O(n) time.
     *
     * @param size1 size of the earlier tree, {@code 0 < size1 <= leafHashes.size()}; a proof from
     *              the empty tree is meaningless (every tree extends it) and is refused
     * @return a new, unmodifiable list of new arrays; empty when {@code size1 == leafHashes.size()}
     * @throws IllegalArgumentException if {@code size1} is out of range or the leaves are malformed
     *                                  as for {@link #root}
     */
    public static List<byte[]> consistencyProof(List<byte[]> leafHashes, long size1) {
        requireLeaves(leafHashes);
        if (size1 <= 0 || size1 > leafHashes.size()) {
            throw new IllegalArgumentException(
                    "size1 " + size1 + " is not in (0, " + leafHashes.size() + "]");
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(leafHashes, (int) size1, 0, leafHashes.size(), true, proof);
        return List.copyOf(proof);
    }

    /**
     * Verifies an inclusion proof by the algorithm of RFC 9162 §2.1.3.2: that {@code leafHash} is
     * the leaf at {@code index} of the tree of {@code treeSize} leaves whose root is {@code root}.
     *
     * <p>Returns {@code false}, never throws, when: {@code index < 0}, {@code treeSize <= 0},
     * {@code index >= treeSize}; {@code leafHash}, {@code root}, {@code proof} or any proof element
     * is null or any of those hashes is not {@value #HASH_LENGTH} bytes; the proof is longer or
     * shorter than the path for ({@code index}, {@code treeSize}); or the recomputed root differs.
     *
     * @param proof the audit path, lowest sibling first (as {@link #inclusionProof} returns it)
     * @return {@code true} only if the proof is valid
     */
    public static boolean verifyInclusion(long index, long treeSize, byte[] leafHash,
                                          List<byte[]> proof, byte[] root) {
        if (index < 0 || treeSize <= 0 || index >= treeSize) {
            return false;
        }
        if (!isHash(leafHash) || !isHash(root) || !areHashes(proof)) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false; // proof longer than the path
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Verifies a consistency proof by the algorithm of RFC 9162 §2.1.4.2: that the tree of
     * {@code size2} leaves with root {@code root2} has the tree of {@code size1} leaves with root
     * {@code root1} as its prefix (the log only appended). When {@code size1 == size2} the proof
     * must be empty and the roots equal.
     *
     * <p>Returns {@code false}, never throws, when: {@code size1 <= 0} (a proof from the empty tree
     * proves nothing, as transparency-dev/merkle also holds), {@code size1 > size2}; {@code root1},
     * {@code root2}, {@code proof} or any proof element is null or any of those hashes is not
     * {@value #HASH_LENGTH} bytes (also when {@code size1 == size2}); the proof is empty for
     * different sizes or not empty for equal ones, or longer or shorter than the sizes require; or
     * either recomputed root differs.
     *
     * @param proof the proof as {@link #consistencyProof} returns it
     * @return {@code true} only if the proof is valid
     */
    public static boolean verifyConsistency(long size1, long size2, byte[] root1, byte[] root2,
                                            List<byte[]> proof) {
        if (size1 <= 0 || size1 > size2) {
            return false;
        }
        if (!isHash(root1) || !isHash(root2) || !areHashes(proof)) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = proof;
        if (Long.bitCount(size1) == 1) {
            // The earlier tree is a perfect subtree of the later one: its root is the proof's seed.
            path = new ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false; // proof longer than the sizes require
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
    }

    /** RFC 6962 §2.1.1 PATH(m, D[from:to]), appended to {@code out} from the bottom up. */
    private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
        int n = to - from;
        if (n <= 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(leaves, m, from, from + k, out);
            out.add(subtreeRoot(leaves, from + k, to));
        } else {
            path(leaves, m - k, from + k, to, out);
            out.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /** RFC 6962 §2.1.2 SUBPROOF(m, D[from:to], b), appended to {@code out} from the bottom up. */
    private static void subproof(List<byte[]> leaves, int m, int from, int to, boolean whole,
                                 List<byte[]> out) {
        int n = to - from;
        if (m == n) {
            if (!whole) {
                out.add(subtreeRoot(leaves, from, to));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(leaves, m, from, from + k, whole, out);
            out.add(subtreeRoot(leaves, from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, out);
            out.add(subtreeRoot(leaves, from, from + k));
        }
    }

    private static byte[] subtreeRoot(List<byte[]> leaves, int from, int to) {
        MerkleAccumulator accumulator = new MerkleAccumulator();
        for (byte[] leaf : leaves.subList(from, to)) {
            accumulator.append(leaf);
        }
        return accumulator.root();
    }

    /** The k of RFC 6962 §2.1: the largest power of two smaller than {@code n}, for n > 1. */
    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static void requireLeaves(List<byte[]> leafHashes) {
        if (leafHashes == null) {
            throw new IllegalArgumentException("leafHashes is null");
        }
        for (byte[] leaf : leafHashes) {
            requireHash(leaf, "leaf hash");
        }
    }

    static void requireHash(byte[] hash, String what) {
        if (!isHash(hash)) {
            throw new IllegalArgumentException(
                    what + " must be " + HASH_LENGTH + " bytes, was "
                            + (hash == null ? "null" : hash.length + " bytes"));
        }
    }

    private static boolean isHash(byte[] hash) {
        return hash != null && hash.length == HASH_LENGTH;
    }

    private static boolean areHashes(List<byte[]> proof) {
        if (proof == null || proof.size() > MAX_PROOF_LENGTH) {
            return false;
        }
        for (byte[] hash : proof) {
            if (!isHash(hash)) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
