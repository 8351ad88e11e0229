package dev.citadel.cli;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.citadel.auditverifier.AuditExport;
import dev.citadel.auditverifier.AuditKeys;
import dev.citadel.auditverifier.MerkleTree;
import dev.citadel.auditverifier.SignedCheckpoint;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the CLI keeps to check the audit trail over time (ARCHITECTURE.md §6): the platform's audit
 * signing keys as first seen, and per tenant the last signed checkpoint it verified. A new
 * checkpoint must be signed, and must be the same tree (same size) or extend the kept one, proved
 * by an RFC 9162 consistency proof checked against the two signed roots.
 *
 * <p>Security guarantees: a trail that shrank (rolled back, truncated) or forked (rewritten) since
 * the last run fails, even if the server's own verification says it is valid. A key once kept is
 * used from the config directory, not from the server, so a server cannot swap it; a new key (a
 * rotation) is accepted with a warning — trust on first use, like the certificate pin.
 */
final class AuditTrust {

    /** How a new checkpoint relates to the kept one. */
    sealed interface Outcome {
        record First(SignedCheckpoint now) implements Outcome {}

        record Same(SignedCheckpoint now) implements Outcome {}

        record Extended(long from, SignedCheckpoint now) implements Outcome {}

        record Shrunk(long kept, long now) implements Outcome {}

        record Forked(long kept, long now) implements Outcome {}
    }

    /** Fetches a consistency proof from the server: the proof's hashes, not its roots. */
    interface ProofSource {
        List<byte[]> consistency(long from, long to);
    }

    private final ConfigStore store;
    private final String server;

    AuditTrust(ConfigStore store, String server) {
        this.store = store;
        this.server = server.replaceFirst("^https://", "").replaceAll("[^A-Za-z0-9.-]", "_");
    }

    /** The audit keys to trust: the kept ones, plus any new ones the server lists (reported in {@code newKeys}). */
    Map<String, PublicKey> keys(JsonNode serverKeys, List<String> newKeys) {
        String keptText = store.read(keysFile());
        ObjectNode kept = keptText == null ? Json.MAPPER.createObjectNode() : (ObjectNode) Json.parse(keptText);
        for (JsonNode key : serverKeys.path("keys")) {
            String id = key.path("keyId").asString();
            if (!kept.has(id)) {
                kept.put(id, key.path("publicKey").asString());
                newKeys.add(id);
            }
        }
        Map<String, PublicKey> keys = new TreeMap<>();
        for (var entry : kept.properties()) {
            try {
                byte[] spki = AuditKeys.fromPem(entry.getValue().asString());
                if (!AuditKeys.keyId(spki).equals(entry.getKey())) {
                    throw CliException.failed("audit key " + Text.clean(entry.getKey()) + " does not have that key id");
                }
                keys.put(entry.getKey(), AuditKeys.parse(spki));
            } catch (GeneralSecurityException e) {
                throw CliException.failed("audit key " + Text.clean(entry.getKey()) + " is not an Ed25519 public key");
            }
        }
        if (!newKeys.isEmpty()) {
            store.write(keysFile(), Json.pretty(kept));
        }
        return keys;
    }

    /** The checkpoint of a verification answer's {@code latestCheckpoint}, with its tenant. */
    static SignedCheckpoint checkpoint(String tenant, JsonNode latest) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("type", "checkpoint");
        line.put("tenant", tenant);
        latest.properties().forEach(e -> line.set(e.getKey(), e.getValue()));
        try {
            return AuditExport.parseCheckpoint(line.toString());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.SERVER, "the server's checkpoint is malformed: " + Text.clean(e.getMessage()));
        }
    }

    static boolean signed(SignedCheckpoint checkpoint, Map<String, PublicKey> keys) {
        return AuditKeys.verify(keys.get(checkpoint.keyId()), checkpoint.signedMessage(), checkpoint.signature());
    }

    SignedCheckpoint kept(String tenant) {
        String text = store.read(checkpointFile(tenant));
        if (text == null) {
            return null;
        }
        try {
            return AuditExport.parseCheckpoint(text.strip());
        } catch (IllegalArgumentException e) {
            throw CliException.failed("the kept checkpoint " + store.directory().resolve(checkpointFile(tenant))
                    + " is unreadable: " + Text.clean(e.getMessage()));
        }
    }

    /** Compares {@code now} (already signature-checked) with the kept checkpoint. */
    Outcome compare(SignedCheckpoint kept, SignedCheckpoint now, ProofSource proofs) {
        if (kept == null) {
            return new Outcome.First(now);
        }
        if (now.size() < kept.size()) {
            return new Outcome.Shrunk(kept.size(), now.size());
        }
        if (now.size() == kept.size()) {
            return kept.sameTree(now) ? new Outcome.Same(now) : new Outcome.Forked(kept.size(), now.size());
        }
        List<byte[]> proof = proofs.consistency(kept.size(), now.size());
        return MerkleTree.verifyConsistency(kept.size(), now.size(), kept.root(), now.root(), proof)
                ? new Outcome.Extended(kept.size(), now) : new Outcome.Forked(kept.size(), now.size());
    }

    void keep(SignedCheckpoint checkpoint) {
        store.write(checkpointFile(checkpoint.tenant()), AuditExport.checkpointLine(checkpoint) + "\n");
    }

    String checkpointFile(String tenant) {
        return "checkpoints/" + server + "/" + tenant + ".json";
    }

    private String keysFile() {
        return "audit-keys/" + server + ".json";
    }

    static List<byte[]> hashes(JsonNode proof) {
        List<byte[]> hashes = new java.util.ArrayList<>();
        try {
            proof.forEach(h -> hashes.add(Base64.getDecoder().decode(h.asString())));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.SERVER, "the server's consistency proof is not base64");
        }
        return hashes;
    }
}
