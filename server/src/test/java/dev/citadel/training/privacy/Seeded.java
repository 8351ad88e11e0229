package dev.citadel.training.privacy;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** A deterministic SecureRandom for statistical tests: SHA1PRNG seeded before its first use. */
final class Seeded {

    private Seeded() {}

    static SecureRandom random(String seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed.getBytes(StandardCharsets.UTF_8));
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
