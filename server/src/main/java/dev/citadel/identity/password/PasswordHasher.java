package dev.citadel.identity.password;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

import dev.citadel.platform.Secret;

/**
 * Argon2id password hashing (RFC 9106) through Spring Security's Bouncy Castle-backed encoder, with
 * OWASP's minimum parameters: 19 MiB, 2 iterations, 1 lane, 16-byte salt, 32-byte hash.
 *
 * <p>{@link #verifyAgainstDummy} runs the same work for unknown users, so sign-in takes the same
 * time whether or not the account exists.
 */
@Component
public class PasswordHasher {

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    private final String dummyHash = encoder.encode("citadel-dummy-password-for-timing");

    public String hash(Secret password) {
        return encoder.encode(password.reveal());
    }

    public boolean verify(Secret password, String hash) {
        return hash != null && encoder.matches(password.reveal(), hash);
    }

    /** Burns the same time as a real verification; always false. */
    public boolean verifyAgainstDummy(Secret password) {
        encoder.matches(password.reveal(), dummyHash);
        return false;
    }
}
