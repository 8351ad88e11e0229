package dev.citadel.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import com.google.crypto.tink.DeterministicAead;

import org.springframework.stereotype.Component;

import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Deterministic tokens under the tenant's own tokens key (Tink AES-256-SIV): the same value always
 * gives the same {@code tok_…} token within a tenant, so datasets still join and models still
 * train; another tenant's key gives unrelated tokens.
 *
 * <p>Security guarantees: a token reveals nothing about its value but its approximate length;
 * detokenization needs the tenant key and is offered only behind the {@code privacy.detokenize}
 * action; a token altered by one bit does not detokenize.
 */
@Component
public class Tokenizer {

    static final String PREFIX = "tok_";
    private static final byte[] AD = "citadel-token-v1".getBytes(StandardCharsets.US_ASCII);

    private final TenantKeys keys;

    Tokenizer(TenantKeys keys) {
        this.keys = keys;
    }

    /** A tokenizing function bound to the tenant's key (fetch once per upload, use per value). */
    public Tokens forTenant(TenantId tenant) {
        return new Tokens(keys.tokens(tenant));
    }

    /** Tokenization with one tenant's key. */
    public static final class Tokens {
        private final DeterministicAead daead;

        Tokens(DeterministicAead daead) {
            this.daead = daead;
        }

        /** Tokenization with a given primitive (benchmarks and tests); the server uses {@link Tokenizer#forTenant}. */
        public static Tokens of(DeterministicAead daead) {
            return new Tokens(daead);
        }

        public String tokenize(String value) {
            try {
                return PREFIX + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(daead.encryptDeterministically(value.getBytes(StandardCharsets.UTF_8), AD));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("tokenization failed", e);
            }
        }

        public String detokenize(String token) {
            if (token == null || !token.startsWith(PREFIX) || token.length() > 4096) {
                throw invalid();
            }
            try {
                byte[] ciphertext = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
                return new String(daead.decryptDeterministically(ciphertext, AD), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                throw invalid();
            }
        }

        private static CitadelException invalid() {
            return new CitadelException(ErrorCode.PRIVACY_TOKEN_INVALID, "Not a token of this tenant.");
        }
    }
}
