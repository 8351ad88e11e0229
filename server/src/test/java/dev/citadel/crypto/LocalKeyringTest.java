package dev.citadel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.google.crypto.tink.aead.AeadConfig;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.platform.Secret;
import dev.citadel.platform.config.DataDirectory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The local keyring: sealed by the passphrase, refuses a wrong one, never silently recreated. */
class LocalKeyringTest {

    private static final Secret PASSPHRASE = Secret.of("correct master passphrase for tests");
    private static final byte[] AD = "purpose".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @BeforeAll
    static void registerTink() throws Exception {
        AeadConfig.register();
    }

    @Test
    void reopenedWithTheSamePassphraseUnwrapsWhatItWrapped() throws Exception {
        DataDirectory data = new DataDirectory(dir);
        byte[] wrapped = LocalKeyringKekProvider.open(data, PASSPHRASE, true).current().aead().encrypt("key".getBytes(), AD);
        byte[] unwrapped = LocalKeyringKekProvider.open(data, PASSPHRASE, false).current().aead().decrypt(wrapped, AD);
        assertThat(new String(unwrapped)).isEqualTo("key");
    }

    @Test
    void keyringFileIsOwnerOnlyAndHoldsNoKeyInTheClear() throws Exception {
        DataDirectory data = new DataDirectory(dir);
        LocalKeyringKekProvider.open(data, PASSPHRASE, true);
        Path file = dir.resolve("keyring/keyring.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String content = Files.readString(file);
        assertThat(content).contains("\"kdf\" : \"argon2id\"").doesNotContain("AesGcmKey");
    }

    @Test
    void refusesToStartWithAWrongPassphrase() {
        DataDirectory data = new DataDirectory(dir);
        LocalKeyringKekProvider.open(data, PASSPHRASE, true);
        assertThatThrownBy(() -> LocalKeyringKekProvider.open(data, Secret.of("wrong master passphrase!!"), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("master passphrase is wrong");
    }

    @Test
    void refusesToCreateANewKeyringWhenWrappedKeysExist() {
        assertThatThrownBy(() -> LocalKeyringKekProvider.open(new DataDirectory(dir), PASSPHRASE, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Restore the keyring file");
    }

    @Test
    void detectsASingleFlippedBitInTheSealedKeyring() throws Exception {
        DataDirectory data = new DataDirectory(dir);
        LocalKeyringKekProvider.open(data, PASSPHRASE, true);
        Path file = dir.resolve("keyring/keyring.json");
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode document = (ObjectNode) json.readTree(Files.readAllBytes(file));
        byte[] sealed = java.util.Base64.getDecoder().decode(document.path("keyset").asString());
        sealed[sealed.length / 2] ^= 0x01;
        document.put("keyset", java.util.Base64.getEncoder().encodeToString(sealed));
        Files.write(file, json.writeValueAsBytes(document));
        assertThatThrownBy(() -> LocalKeyringKekProvider.open(data, PASSPHRASE, false))
                .isInstanceOf(IllegalStateException.class);
    }
}
