package dev.citadel.auditverifier;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A signed statement that a tenant's audit trail had {@code size} entries, whose RFC 6962 Merkle
 * tree head was {@code root} and whose last chain hash was {@code chainHead}, at {@code time}.
 *
 * <p>Security guarantees: the signature is Ed25519 over {@link #signedMessage()}, a short text
 * with one field per line, so what was signed is unambiguous and readable. A checkpoint binds its
 * tenant, size, root and chain head together: it cannot be moved to another tenant or size, and a
 * trail whose entries were rewritten — even with every chain hash recomputed — no longer has this
 * root. Leaves are {@code MerkleTree.leafHash(chain hash)} of the entries in sequence order.
 */
public record SignedCheckpoint(String tenant, long size, byte[] root, byte[] chainHead, String time, String keyId,
        byte[] signature) {

    /** The first line of every signed message; a new format gets a new line. */
    public static final String FORMAT = "citadel-audit-checkpoint/v1";

    /** The bytes the signature covers. */
    public byte[] signedMessage() {
        return message(tenant, size, root, chainHead, time);
    }

    /** The bytes a checkpoint with these values signs. */
    public static byte[] message(String tenant, long size, byte[] root, byte[] chainHead, String time) {
        Base64.Encoder b64 = Base64.getEncoder();
        String text = FORMAT + "\n"
                + "tenant " + tenant + "\n"
                + "size " + size + "\n"
                + "root " + b64.encodeToString(root) + "\n"
                + "chain-head " + b64.encodeToString(chainHead) + "\n"
                + "time " + time + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code other} states the same tree (tenant, size, root), whoever signed it and when. */
    public boolean sameTree(SignedCheckpoint other) {
        return tenant.equals(other.tenant) && size == other.size
                && java.security.MessageDigest.isEqual(root, other.root);
    }

    @Override
    public String toString() {
        return "checkpoint " + tenant + " size " + size + " root " + Base64.getEncoder().encodeToString(root);
    }
}
