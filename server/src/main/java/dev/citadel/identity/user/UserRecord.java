package dev.citadel.identity.user;

import java.time.Instant;
import java.util.UUID;

/** A local user row. The TOTP secrets are ciphertexts from PlatformSecrets. */
public record UserRecord(
        UUID id,
        String username,
        String passwordHash,
        byte[] totpSecret,
        byte[] totpPendingSecret,
        long totpLastStep,
        boolean platformAdmin,
        boolean disabled,
        int tokenGeneration,
        Instant createdAt,
        Instant lastLoginAt) {

    public boolean mfaEnabled() {
        return totpSecret != null;
    }
}
