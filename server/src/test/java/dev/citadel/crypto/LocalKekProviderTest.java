package dev.citadel.crypto;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import dev.citadel.platform.Secret;
import dev.citadel.platform.config.DataDirectory;

/** The local keyring against the KEK provider contract. */
class LocalKekProviderTest extends KekProviderContract {

    @TempDir
    Path dir;

    @Override
    KekProvider open(boolean mayCreate) {
        return LocalKeyringKekProvider.open(new DataDirectory(dir), Secret.of("contract-test-master-passphrase"), mayCreate);
    }
}
