/**
 * Keys and encryption: the key-encryption-key providers and the keysets they wrap, written once
 * with Google Tink. Everything else encrypts through this feature's small API and never touches
 * {@code javax.crypto} itself.
 *
 * <p>Security property: key material exists outside the KEK provider only wrapped by it, bound by
 * associated data to its purpose; a wrong master passphrase stops the server rather than creating a
 * new keyring.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform"})
package dev.citadel.crypto;
