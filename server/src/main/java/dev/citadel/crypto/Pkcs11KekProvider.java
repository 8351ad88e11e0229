package dev.citadel.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import com.google.crypto.tink.Aead;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KEK held in a hardware security module through PKCS#11 (the JDK's SunPKCS11 provider): an
 * AES-256 key created inside the token as sensitive and non-extractable, labelled
 * {@code <label>-v<n>}; wrapping is AES-256-GCM performed by the token.
 *
 * <p>Security guarantees: the KEK's value never leaves the HSM (the token refuses to reveal it);
 * Citadel holds only a handle. Each wrap uses a fresh random 96-bit nonce and a 128-bit tag, binds
 * the caller's associated data, and prefixes a format byte so the layout can evolve.
 */
final class Pkcs11KekProvider implements KekProvider {

    private static final Logger log = LoggerFactory.getLogger(Pkcs11KekProvider.class);
    private static final byte FORMAT_V1 = 1;
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Provider provider;
    private final KeyStore keyStore;
    private final String labelPrefix;
    private final Pattern versionLabel;
    private final String description;
    private volatile Kek current;

    private Pkcs11KekProvider(Provider provider, KeyStore keyStore, String labelPrefix, String description) {
        this.provider = provider;
        this.keyStore = keyStore;
        this.labelPrefix = labelPrefix;
        this.versionLabel = Pattern.compile(Pattern.quote(labelPrefix) + "-v(\\d+)");
        this.description = description;
    }

    static Pkcs11KekProvider open(CryptoProperties.Pkcs11 config, boolean mayCreate) {
        List<String> problems = new ArrayList<>();
        if (config.library() == null || config.library().isBlank()) {
            problems.add("citadel.keys.pkcs11.library (CITADEL_PKCS11_LIBRARY) must name the PKCS#11 module");
        }
        if (config.pin() == null) {
            problems.add("citadel.keys.pkcs11.pin (CITADEL_PKCS11_PIN) must be set");
        }
        if (config.keyLabel() == null || !config.keyLabel().matches("[A-Za-z0-9._-]{1,48}")) {
            problems.add("citadel.keys.pkcs11.key-label must be 1-48 letters, digits, '.', '_' or '-'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid PKCS#11 configuration: " + String.join("; ", problems));
        }
        String slot = config.slot() != null ? "slot = " + config.slot() : "slotListIndex = " + config.slotListIndex();
        String providerConfig = "--name = Citadel\nlibrary = " + config.library() + "\n" + slot + "\n"
                + "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n"
                + "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n  CKA_ENCRYPT = true\n  CKA_DECRYPT = true\n}\n";
        try {
            Provider provider = Security.getProvider("SunPKCS11").configure(providerConfig);
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, config.pin().reveal().toCharArray());
            Pkcs11KekProvider kek = new Pkcs11KekProvider(provider, keyStore, config.keyLabel(),
                    "PKCS#11 token (" + config.library() + ", " + slot + ", label " + config.keyLabel() + ")");
            int latest = kek.latestVersion();
            if (latest == 0) {
                if (!mayCreate) {
                    throw new IllegalStateException("The HSM holds no KEK labelled " + config.keyLabel()
                            + "-v* but the database holds keys wrapped by one. Check the slot and label; Citadel will "
                            + "not create a new KEK.");
                }
                kek.current = kek.create(1);
                log.warn("Created KEK {}-v1 in the HSM (sensitive, non-extractable).", config.keyLabel());
            } else {
                kek.current = kek.version(kek.id(latest));
            }
            return kek;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot open the PKCS#11 token: " + e.getMessage(), e);
        }
    }

    @Override
    public Kek current() {
        return current;
    }

    @Override
    public Kek version(String kekId) {
        Matcher matcher = Pattern.compile("pkcs11:" + versionLabel.pattern()).matcher(kekId);
        if (!matcher.matches()) {
            throw new IllegalStateException("not a KEK of this token: " + kekId);
        }
        try {
            String label = kekId.substring("pkcs11:".length());
            if (!(keyStore.getKey(label, null) instanceof SecretKey key)) {
                throw new IllegalStateException("KEK " + label + " is not in the token");
            }
            return new Kek(kekId, new HsmAead(provider, key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load KEK " + kekId, e);
        }
    }

    @Override
    public synchronized Kek rotate() {
        try {
            current = create(latestVersion() + 1);
            return current;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a new KEK version in the HSM", e);
        }
    }

    @Override
    public String description() {
        return description;
    }

    private Kek create(int version) throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
        generator.init(256);
        String label = labelPrefix + "-v" + version;
        keyStore.setEntry(label, new KeyStore.SecretKeyEntry(generator.generateKey()), null);
        return version(id(version));
    }

    private int latestVersion() throws GeneralSecurityException {
        int latest = 0;
        for (String alias : Collections.list(keyStore.aliases())) {
            Matcher matcher = versionLabel.matcher(alias);
            if (matcher.matches()) {
                latest = Math.max(latest, Integer.parseInt(matcher.group(1)));
            }
        }
        return latest;
    }

    private String id(int version) {
        return "pkcs11:" + labelPrefix + "-v" + version;
    }

    /** AES-256-GCM computed inside the token: {@code 0x01 ‖ nonce(12) ‖ ciphertext ‖ tag(16)}. */
    private record HsmAead(Provider provider, SecretKey key) implements Aead {

        @Override
        public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT_V1).put(nonce).put(sealed).array();
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
            if (ciphertext.length < 1 + NONCE_BYTES + 16 || ciphertext[0] != FORMAT_V1) {
                throw new GeneralSecurityException("not a Citadel HSM ciphertext");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, ciphertext, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(ciphertext, 1 + NONCE_BYTES, ciphertext.length - 1 - NONCE_BYTES);
        }
    }
}
