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
 * sealed with a key derived by Argon2id (RFC 9106) from the master passphrase.
 *
 * <p>Security guarantees: without the passphrase the keyring file is an AES-GCM ciphertext; a wrong
 * passphrase fails authenticated decryption and the server refuses to start — it never creates a
 * fresh keyring over data wrapped by the old one.
 */
final class LocalKeyringKekProvider implements KekProvider {

    private static final Logger log = LoggerFactory.getLogger(LocalKeyringKekProvider.class);
    private static final byte[] KEYRING_AD = "citadel-keyring-v1".getBytes(StandardCharsets.UTF_8);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** RFC 9106 §4, second recommended option (64 MiB, t=3, p=4), with one lane per core used here. */
    static final int MEMORY_KIB = 64 * 1024;
    static final int ITERATIONS = 3;
    static final int PARALLELISM = 1;

    private final Path file;
    private final Aead kek;

    private LocalKeyringKekProvider(Path file, Aead kek) {
        this.file = file;
        this.kek = kek;
    }

    /**
     * Opens the keyring, creating it only when {@code mayCreate} (no wrapped keysets exist yet).
     */
    static LocalKeyringKekProvider open(DataDirectory dataDirectory, Secret passphrase, boolean mayCreate) {
        Path file = dataDirectory.directory("keyring").resolve("keyring.json");
        try {
            if (Files.exists(file)) {
                return new LocalKeyringKekProvider(file, unseal(file, passphrase));
            }
            if (!mayCreate) {
                throw new IllegalStateException("The keyring " + file + " is missing but the database holds keys wrapped by it. "
                        + "Restore the keyring file from your backup; Citadel will not create a new one.");
            }
            Aead kek = create(file, passphrase);
            log.warn("""
                    A new master keyring was created at {}.
                    BACK IT UP together with the master passphrase: without both, every encrypted key and blob is lost.""",
                    file);
            return new LocalKeyringKekProvider(file, kek);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the keyring " + file, e);
        }
    }

    @Override
    public Aead kek() {
        return kek;
    }

    @Override
    public String description() {
        return "local keyring (" + file + ")";
    }

    private static Aead create(Path file, Secret passphrase) throws IOException {
        try {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            KeysetHandle keyring = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            byte[] sealed = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyring,
                    new AesGcmJce(derive(passphrase, salt, MEMORY_KIB, ITERATIONS, PARALLELISM)), KEYRING_AD);
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("version", 1);
            document.put("kdf", "argon2id");
            document.put("memoryKiB", MEMORY_KIB);
            document.put("iterations", ITERATIONS);
            document.put("parallelism", PARALLELISM);
            document.put("salt", Base64.getEncoder().encodeToString(salt));
            document.put("keyset", Base64.getEncoder().encodeToString(sealed));
            DataDirectory.writePrivateFile(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
            return keyring.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the keyring", e);
        }
    }

    private static Aead unseal(Path file, Secret passphrase) throws IOException {
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
            return keyring.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot unlock the keyring " + file
                    + ": the master passphrase is wrong or the keyring file is damaged. Citadel will not start.");
        }
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
