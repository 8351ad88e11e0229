package dev.citadel.crypto;

import java.time.Instant;

/** One key of a tenant keyset as the API lists it: never key material. */
public record KeyVersion(String purpose, long keyId, String status, boolean primary, Instant createdAt, Instant retiredAt,
        Instant destroyedAt) {}
