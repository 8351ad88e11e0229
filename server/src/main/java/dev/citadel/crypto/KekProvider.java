package dev.citadel.crypto;

import com.google.crypto.tink.Aead;

/**
 * A key-encryption key: wraps and unwraps keysets and nothing else. Implementations hold the KEK
 * where it cannot be read (a passphrase-sealed keyring, an HSM, a cloud KMS) and hand out only an
 * {@link Aead} that uses it. Adding AWS KMS, GCP KMS, Azure Key Vault or Vault Transit is one
 * class implementing this interface (Tink's {@code KmsClient}s give the {@code Aead}), one
 * {@link CryptoProperties.KekProviderKind} constant and one subclass of the contract test.
 *
 * <p>Security guarantees: the KEK never leaves the provider; every wrap binds associated data
 * naming what is wrapped, so a wrapped keyset moved to another tenant or purpose fails to unwrap.
 * A KEK has versions: {@link #rotate()} makes a new version current while older versions keep
 * unwrapping what they wrapped, until everything is re-wrapped.
 */
public interface KekProvider {

    /** The KEK version new wraps use. */
    Kek current();

    /** The KEK version {@code kekId} (as recorded beside a wrapped keyset), for unwrapping. */
    Kek version(String kekId);

    /** Creates a new KEK version and makes it current. */
    Kek rotate();

    /** A short, non-secret description for logs and health, e.g. {@code local keyring (…/keyring.json)}. */
    String description();

    /** One KEK version: its stable id and the AEAD that wraps and unwraps with it. */
    record Kek(String id, Aead aead) {}
}
