package dev.citadel.crypto;

import com.google.crypto.tink.Aead;

/**
 * A key-encryption key: wraps and unwraps keysets and nothing else. Implementations hold the KEK
 * where it cannot be read (a passphrase-sealed keyring, an HSM, a cloud KMS) and hand out only an
 * {@link Aead} that uses it.
 *
 * <p>Security guarantees: the KEK never leaves the provider; every wrap binds associated data
 * naming what is wrapped, so a wrapped keyset moved to another purpose fails to unwrap.
 */
public interface KekProvider {

    /** The AEAD that wraps keysets under the current KEK. */
    Aead kek();

    /** A short, non-secret description for logs and health, e.g. {@code local keyring (…/keyring.json)}. */
    String description();
}
