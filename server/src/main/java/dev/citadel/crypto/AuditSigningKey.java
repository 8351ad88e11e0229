package dev.citadel.crypto;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;

import dev.citadel.auditverifier.AuditKeys;

/**
 * The platform's audit signing key: Ed25519 (a Tink keyset with raw output, so signatures are
 * plain RFC 8032 signatures any Ed25519 implementation verifies), stored wrapped by the KEK in
 * {@code platform_keysets} like the platform's other keysets.
 *
 * <p>Security guarantees: the private key never leaves this object unwrapped; {@link #publicKeys()}
 * gives every public key of the keyset (an auditor needs the old ones for old checkpoints) as
 * SubjectPublicKeyInfo DER by key id, the first 16 hex digits of SHA-256 over that DER.
 */
public final class AuditSigningKey {

    static final String KEYSET_NAME = "audit-signing";
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final PublicKeySign signer;
    private final String keyId;
    private final Map<String, byte[]> publicKeys;

    AuditSigningKey(KeysetHandle keyset) throws GeneralSecurityException {
        this.signer = keyset.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
        KeysetHandle publicKeyset = keyset.getPublicKeysetHandle();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String primary = null;
        for (int i = 0; i < publicKeyset.size(); i++) {
            KeysetHandle.Entry entry = publicKeyset.getAt(i);
            if (!(entry.getKey() instanceof Ed25519PublicKey ed25519)) {
                throw new GeneralSecurityException("the audit signing keyset holds a key that is not Ed25519");
            }
            byte[] spki = spki(ed25519.getPublicKeyBytes().toByteArray());
            String id = AuditKeys.keyId(spki);
            keys.put(id, spki);
            if (entry.isPrimary()) {
                primary = id;
            }
        }
        if (primary == null) {
            throw new GeneralSecurityException("the audit signing keyset has no primary key");
        }
        this.keyId = primary;
        this.publicKeys = Map.copyOf(keys);
    }

    static KeysetHandle generate() throws GeneralSecurityException {
        return KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput);
    }

    private static byte[] spki(byte[] raw) {
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
        return der;
    }

    /** Signs {@code message} with the primary key. */
    public byte[] sign(byte[] message) {
        try {
            return signer.sign(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("audit signing failed", e);
        }
    }

    /** The id of the key {@link #sign} uses. */
    public String keyId() {
        return keyId;
    }

    /** Every public key of the keyset, as SubjectPublicKeyInfo DER by key id. */
    public Map<String, byte[]> publicKeys() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        publicKeys.forEach((id, der) -> copy.put(id, der.clone()));
        return copy;
    }
}
