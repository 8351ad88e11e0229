package dev.citadel.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.subtle.AesGcmJce;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.citadel.platform.Secret;
import dev.citadel.platform.config.DataDirectory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded default KEK: a Tink AES-256-GCM keyset in {@code keyring/keyring.json}, itself
 * sealed with a key derived by Argon2id (RFC 9106) from the master passphrase. Each key of the
 * keyring is a KEK version; rotation adds a key and makes it primary, and the keyring still
 * unwraps with every older key.
 *
 * <p>Security guarantees: without the passphrase the keyring file is an AES-GCM ciphertext; a wrong
 * passphrase fails authenticated decryption and the server refuses to start — it never creates a
 * fresh keyring over data wrapped by the old one. The file is rewritten atomically.
 */
final class LocalKeyringKekProvider implements KekProvider {

    private static final Logger log = LoggerFactory.getLogger(LocalKeyringKekProvider.class);
    private static final byte[] KEYRING_AD = "citadel-keyring-v1".getBytes(StandardCharsets.UTF_8);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** RFC 9106 §4, second recommended option (64 MiB, t=3), with one lane per core used here. */
    static final int MEMORY_KIB = 64 * 1024;
    static final int ITERATIONS = 3;
    static final int PARALLELISM = 1;

    private final Path file;
    private final byte[] sealingKey;
    private final byte[] salt;
    private volatile KeysetHandle keyring;

    private LocalKeyringKekProvider(Path file, byte[] sealingKey, byte[] salt, KeysetHandle keyring) {
        this.file = file;
        this.sealingKey = sealingKey;
        this.salt = salt;
        this.keyring = keyring;
    }

    /** Where the sealed keyring lives. */
    static Path file(DataDirectory dataDirectory) {
        return dataDirectory.directory("keyring").resolve("keyring.json");
    }

    /** Opens the keyring, creating it only when {@code mayCreate} (no wrapped keysets exist yet). */
    static LocalKeyringKekProvider open(DataDirectory dataDirectory, Secret passphrase, boolean mayCreate) {
        Path file = file(dataDirectory);
        try {
            if (Files.exists(file)) {
                return unseal(file, passphrase);
            }
            if (!mayCreate) {
                throw new IllegalStateException("The keyring " + file + " is missing but the database holds keys wrapped by it. "
                        + "Restore the keyring file from your backup; Citadel will not create a new one.");
            }
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            LocalKeyringKekProvider provider = new LocalKeyringKekProvider(file,
                    derive(passphrase, salt, MEMORY_KIB, ITERATIONS, PARALLELISM), salt,
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
            provider.seal();
            log.warn("""
                    A new master keyring was created at {}.
                    BACK IT UP together with the master passphrase: without both, every encrypted key and blob is lost.""",
                    file);
            return provider;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the keyring " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the keyring", e);
        }
    }

    @Override
    public Kek current() {
        KeysetHandle handle = keyring;
        return new Kek(id(handle.getPrimary().getId()), primitive(handle));
    }

    @Override
    public Kek version(String kekId) {
        KeysetHandle handle = keyring;
        for (int i = 0; i < handle.size(); i++) {
            if (id(handle.getAt(i).getId()).equals(kekId)) {
                return new Kek(kekId, primitive(handle));
            }
        }
        throw new IllegalStateException("KEK version " + kekId + " is not in the keyring " + file);
    }

    @Override
    public synchronized Kek rotate() {
        try {
            keyring = Keysets.withNewPrimary(keyring, PredefinedAeadParameters.AES256_GCM);
            seal();
            return current();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate the keyring", e);
        }
    }

    @Override
    public String description() {
        return "local keyring (" + file + ")";
    }

    private void seal() throws GeneralSecurityException {
        byte[] sealed = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyring, new AesGcmJce(sealingKey), KEYRING_AD);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("version", 1);
        document.put("kdf", "argon2id");
        document.put("memoryKiB", MEMORY_KIB);
        document.put("iterations", ITERATIONS);
        document.put("parallelism", PARALLELISM);
        document.put("salt", Base64.getEncoder().encodeToString(salt));
        document.put("keyset", Base64.getEncoder().encodeToString(sealed));
        DataDirectory.writePrivateFile(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
    }

    private static LocalKeyringKekProvider unseal(Path file, Secret passphrase) throws IOException {
        JsonNode document = JSON.readTree(Files.readAllBytes(file));
        if (document.path("version").asInt() != 1 || !"argon2id".equals(document.path("kdf").asString())) {
            throw new IllegalStateException("unsupported keyring format in " + file);
        }
        byte[] salt = Base64.getDecoder().decode(document.path("salt").asString());
        byte[] sealed = Base64.getDecoder().decode(document.path("keyset").asString());
        try {
            byte[] key = derive(passphrase, salt, document.path("memoryKiB").asInt(),
                    document.path("iterations").asInt(), document.path("parallelism").asInt());
            KeysetHandle keyring = TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, new AesGcmJce(key), KEYRING_AD);
            return new LocalKeyringKekProvider(file, key, salt, keyring);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot unlock the keyring " + file
                    + ": the master passphrase is wrong or the keyring file is damaged. Citadel will not start.");
        }
    }

    private static Aead primitive(KeysetHandle handle) {
        try {
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the keyring holds no usable AEAD key", e);
        }
    }

    private static String id(int keyId) {
        return "local:" + Integer.toUnsignedString(keyId);
    }

    static byte[] derive(Secret passphrase, byte[] salt, int memoryKiB, int iterations, int parallelism) {
        if (memoryKiB < 19 * 1024 || iterations < 2 || parallelism < 1) {
            throw new IllegalStateException("keyring KDF parameters are below the safe minimum");
        }
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] key = new byte[32];
        generator.generateBytes(passphrase.utf8(), key);
        return key;
    }
}
