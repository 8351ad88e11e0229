package dev.citadel.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.citadel.platform.Secret;

/**
 * Key configuration ({@code citadel.keys.*}): which KEK provider wraps the keysets and how it is
 * reached. Listed in docs/configuration.md.
 */
@ConfigurationProperties("citadel.keys")
public record CryptoProperties(
        @DefaultValue("local") KekProviderKind provider,
        Secret masterPassphrase,
        String masterPassphraseFile,
        @DefaultValue Pkcs11 pkcs11) {

    /** The KEK providers Citadel ships. */
    public enum KekProviderKind { LOCAL, PKCS11 }

    /**
     * A PKCS#11 token (HSM) holding the KEK as a sensitive, non-extractable AES-256 key.
     *
     * @param library       the vendor's PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @param slot          the slot id, or
     * @param slotListIndex the index in the slot list when {@code slot} is not set
     * @param pin           the user PIN ({@code CITADEL_PKCS11_PIN})
     * @param keyLabel      label prefix of the KEK objects; versions are {@code <label>-v1}, {@code -v2}, …
     */
    public record Pkcs11(String library, Long slot, @DefaultValue("0") int slotListIndex, Secret pin,
            @DefaultValue("citadel-kek") String keyLabel) {}
}
