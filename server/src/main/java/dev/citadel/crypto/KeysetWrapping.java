package dev.citadel.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationEventPublisher;

import dev.citadel.platform.TenantId;

/**
 * Wraps and unwraps keysets with the KEK — the only code that does — counting each operation
 * ({@code citadel.kek.operations}) and publishing a {@link KeyOperation} for the audit trail.
 * Associated data {@code citadel-keyset-v1|<tenant>|<purpose>} binds each wrapped keyset to its
 * owner and use.
 */
final class KeysetWrapping {

    private final KekProvider kek;
    private final MeterRegistry meters;
    private final ApplicationEventPublisher events;

    KeysetWrapping(KekProvider kek, MeterRegistry meters, ApplicationEventPublisher events) {
        this.kek = kek;
        this.meters = meters;
        this.events = events;
    }

    KekProvider kek() {
        return kek;
    }

    /** A keyset wrapped by the current KEK, and that KEK's id. */
    record Wrapped(String kekId, byte[] bytes) {}

    Wrapped wrap(TenantId owner, String purpose, KeysetHandle keyset) throws GeneralSecurityException {
        KekProvider.Kek current = kek.current();
        byte[] bytes = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, current.aead(), associatedData(owner, purpose));
        record(owner, "wrap", purpose, current.id());
        return new Wrapped(current.id(), bytes);
    }

    KeysetHandle unwrap(TenantId owner, String purpose, String kekId, byte[] wrapped) throws GeneralSecurityException {
        KekProvider.Kek version = kek.version(kekId);
        KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, version.aead(),
                associatedData(owner, purpose));
        record(owner, "unwrap", purpose, kekId);
        return keyset;
    }

    void record(TenantId owner, String operation, String purpose, String kekId) {
        meters.counter("citadel.kek.operations", "operation", operation,
                "provider", kekId.substring(0, kekId.indexOf(':'))).increment();
        events.publishEvent(new KeyOperation(owner, operation, purpose, kekId));
    }

    /** A wrapped keyset did not unwrap: tampered, damaged or moved. Reported as a security event. */
    void integrityFailure(TenantId owner, String purpose) {
        meters.counter("citadel.kek.operations", "operation", "unwrap_failed",
                "provider", kek.current().id().substring(0, kek.current().id().indexOf(':'))).increment();
        events.publishEvent(new KeyIntegrityFailure(owner, purpose));
    }

    static byte[] associatedData(TenantId owner, String purpose) {
        return ("citadel-keyset-v1|" + owner.value() + "|" + purpose).getBytes(StandardCharsets.UTF_8);
    }
}
