package dev.citadel.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.citadel.platform.Secret;

/**
 * Key configuration ({@code citadel.keys.*}): which KEK provider wraps the keysets and how the
 * local keyring is unlocked.
 */
@ConfigurationProperties("citadel.keys")
record CryptoProperties(
        @DefaultValue("local") KekProviderKind provider,
        Secret masterPassphrase,
        String masterPassphraseFile) {

    enum KekProviderKind { LOCAL }
}
