package dev.citadel.platform;

import java.util.UUID;

/** Identifies a principal (a local user, a service account or an external OIDC subject). */
public record PrincipalId(PrincipalKind kind, UUID value) {

    public PrincipalId {
        if (kind == null || value == null) {
            throw new IllegalArgumentException("principal id needs a kind and a value");
        }
    }

    public static PrincipalId user(UUID id) {
        return new PrincipalId(PrincipalKind.USER, id);
    }

    public static PrincipalId serviceAccount(UUID id) {
        return new PrincipalId(PrincipalKind.SERVICE_ACCOUNT, id);
    }

    /** Compact form used in audit entries and token subjects, e.g. {@code user:3f2c…}. */
    public String qualified() {
        return kind.wireName() + ":" + value;
    }

    @Override
    public String toString() {
        return qualified();
    }
}
