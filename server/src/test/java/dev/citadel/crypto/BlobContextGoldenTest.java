package dev.citadel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;

/**
 * The associated data binding each blob to tenant, kind, object and version is a stable format:
 * blobs already stored depend on it byte for byte. A new format is a new version string.
 */
class BlobContextGoldenTest {

    @Test
    void canonicalAssociatedDataIsPinned() {
        BlobContext context = new BlobContext(new TenantId("acme"), BlobContext.BlobKind.DATASET,
                UUID.fromString("0b7f9a52-3c1d-4e8f-9a6b-2d4c6e8f0a1b"), 3);
        assertThat(HexFormat.of().formatHex(context.associatedData())).isEqualTo(
                "6369746164656c2d626c6f622d7631" + "00" + "61636d65" + "00" + "64617461736574" + "00"
                        + HexFormat.of().formatHex("0b7f9a52-3c1d-4e8f-9a6b-2d4c6e8f0a1b".getBytes()) + "00" + "33");
    }

    @Test
    void everyFieldChangesTheAssociatedData() {
        UUID id = UUID.randomUUID();
        BlobContext base = new BlobContext(new TenantId("acme"), BlobContext.BlobKind.DATASET, id, 1);
        assertThat(base.associatedData())
                .isNotEqualTo(new BlobContext(new TenantId("acme2"), BlobContext.BlobKind.DATASET, id, 1).associatedData())
                .isNotEqualTo(new BlobContext(new TenantId("acme"), BlobContext.BlobKind.MODEL, id, 1).associatedData())
                .isNotEqualTo(new BlobContext(new TenantId("acme"), BlobContext.BlobKind.DATASET, UUID.randomUUID(), 1)
                        .associatedData())
                .isNotEqualTo(new BlobContext(new TenantId("acme"), BlobContext.BlobKind.DATASET, id, 2).associatedData());
    }

    @Test
    void blobsBelongToTenantsAndVersionsStartAtOne() {
        assertThatThrownBy(() -> new BlobContext(TenantId.PLATFORM, BlobContext.BlobKind.REPORT, UUID.randomUUID(), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlobContext(new TenantId("acme"), BlobContext.BlobKind.REPORT, UUID.randomUUID(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
