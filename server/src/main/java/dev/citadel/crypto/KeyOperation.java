package dev.citadel.crypto;

import dev.citadel.platform.TenantId;

/**
 * Published (synchronously, inside the transaction of the change) for every wrap, unwrap,
 * rotation and destruction of a keyset, so the audit trail records key use without crypto
 * depending on audit.
 *
 * @param tenant    whose keyset ({@link TenantId#PLATFORM} for platform keysets)
 * @param operation {@code wrap}, {@code unwrap}, {@code rotate}, {@code destroy}, {@code kek.rotate}
 * @param purpose   the keyset purpose (or the platform keyset's name)
 * @param kekId     the KEK version involved
 */
public record KeyOperation(TenantId tenant, String operation, String purpose, String kekId) {}
