package dev.citadel.crypto;

import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;

/** The keysets every tenant has, each with its Tink key type (ARCHITECTURE §3). */
public enum KeyPurpose {
    /** Streaming AEAD for blobs: AES-256-GCM-HKDF with 1 MiB segments, constant memory for any size. */
    BLOBS("blobs", PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB, true),
    /** AEAD for small per-tenant secrets. */
    SECRETS("secrets", PredefinedAeadParameters.AES256_GCM, true),
    /** PRF for deterministic tokenization of PII; not rotated, so tokens stay joinable. */
    TOKENS("tokens", PredefinedPrfParameters.HMAC_SHA256_PRF, false),
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
