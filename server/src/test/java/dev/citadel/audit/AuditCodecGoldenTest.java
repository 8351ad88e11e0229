package dev.citadel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The canonical audit entry encoding (v1) is pinned: hashes already in customers' chains depend on
 * it byte for byte. Never regenerate the golden file; a new format adds a -v2 file beside it.
 */
class AuditCodecGoldenTest {

    static final AuditEntry ENTRY = new AuditEntry("acme", 42, UUID.fromString("0b7f9a52-3c1d-4e8f-9a6b-2d4c6e8f0a1b"),
            Instant.parse("2026-11-22T10:15:30.123Z"), "user:6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b", "member.put", "user",
            "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", AuditOutcome.SUCCESS, "a1b2c3d4e5f6a7b8c9d0e1f2", "192.0.2.10",
            new TreeMap<>(java.util.Map.of("roles", "viewer", "previousRoles", "")), new byte[32], null);

    @Test
    void canonicalEncodingMatchesTheV1GoldenFile() throws IOException {
        assertThat(new String(AuditCodec.canonical(ENTRY), StandardCharsets.UTF_8)).isEqualTo(golden("audit-entry-v1.json").strip());
    }

    @Test
    void hashOverGenesisMatchesTheV1GoldenHash() throws IOException {
        assertThat(HexFormat.of().formatHex(AuditCodec.canonicalEntry(ENTRY).chainHash(new byte[32])))
                .isEqualTo(golden("audit-entry-v1.sha256").strip());
    }

    @Test
    void anyChangedFieldChangesTheHash() {
        byte[] original = AuditCodec.canonicalEntry(ENTRY).chainHash(new byte[32]);
        AuditEntry other = new AuditEntry(ENTRY.tenant(), ENTRY.seq(), ENTRY.eventId(), ENTRY.occurredAt(), ENTRY.actor(),
                ENTRY.action(), ENTRY.targetType(), ENTRY.targetId(), AuditOutcome.DENIED, ENTRY.requestId(),
                ENTRY.sourceAddress(), ENTRY.details(), ENTRY.previousHash(), null);
        assertThat(AuditCodec.canonicalEntry(other).chainHash(new byte[32])).isNotEqualTo(original);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = AuditCodecGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
