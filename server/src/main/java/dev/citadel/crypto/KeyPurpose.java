package dev.citadel.crypto;

import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;

/** The keysets every tenant has, each with its Tink key type (ARCHITECTURE §3). */
public enum KeyPurpose {
    /** Streaming AEAD for blobs: AES-256-GCM-HKDF with 1 MiB segments, constant memory for any size. */
    BLOBS("blobs", PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB, true),
    /** AEAD for small per-tenant secrets. */
    SECRETS("secrets", PredefinedAeadParameters.AES256_GCM, true),
    /**
     * Deterministic AEAD (AES-256-SIV) for tokenization of PII: equal values give equal tokens, so
     * joins and training still work, and a token reverts to its value only through the key.
     * Not rotated, so tokens stay joinable across versions.
     */
    TOKENS("tokens", PredefinedDeterministicAeadParameters.AES256_SIV, false),
    /** Ed25519 signatures over model manifests and deletion certificates. */
    SIGNING("signing", PredefinedSignatureParameters.ED25519, true);

    private final String wireName;
    private final Parameters parameters;
    private final boolean rotatable;

    KeyPurpose(String wireName, Parameters parameters, boolean rotatable) {
        this.wireName = wireName;
        this.parameters = parameters;
        this.rotatable = rotatable;
    }

    public String wireName() {
        return wireName;
    }

    Parameters parameters() {
        return parameters;
    }

    public boolean rotatable() {
        return rotatable;
    }

    static KeyPurpose fromWireName(String name) {
        for (KeyPurpose purpose : values()) {
            if (purpose.wireName.equals(name)) {
                return purpose;
            }
        }
        throw new IllegalArgumentException("unknown key purpose");
    }
}
