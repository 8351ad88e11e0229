package dev.citadel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

import dev.citadel.identity.password.PasswordHasher;
import dev.citadel.platform.Secret;

/**
 * The Argon2id implementation Citadel relies on (Bouncy Castle, used by the keyring KDF and by the
 * password hasher) reproduces the RFC 9106 §5.3 test vector.
 */
class Argon2VectorTest {

    @Test
    void bouncyCastleArgon2idMatchesRfc9106Vector() {
        byte[] password = filled(32, 0x01);
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(32).withIterations(3).withParallelism(4)
                .withSalt(filled(16, 0x02)).withSecret(filled(8, 0x03)).withAdditional(filled(12, 0x04))
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] tag = new byte[32];
        generator.generateBytes(password, tag);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void passwordHashesAreArgon2idWithOwaspParametersAndVerify() {
        PasswordHasher hasher = new PasswordHasher();
        String hash = hasher.hash(Secret.of("correct horse battery staple"));
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify(Secret.of("correct horse battery staple"), hash)).isTrue();
        assertThat(hasher.verify(Secret.of("correct horse battery stapl"), hash)).isFalse();
        assertThat(hasher.hash(Secret.of("correct horse battery staple"))).isNotEqualTo(hash);
        assertThat(hasher.verifyAgainstDummy(Secret.of("anything"))).isFalse();
    }

    @Test
    void keyringKdfIsDeterministicPerSaltAndRefusesWeakParameters() {
        Secret passphrase = Secret.of("a long master passphrase");
        byte[] salt = filled(16, 0x07);
        byte[] first = LocalKeyringKekProvider.derive(passphrase, salt, 19 * 1024, 2, 1);
        assertThat(first).hasSize(32).isEqualTo(LocalKeyringKekProvider.derive(passphrase, salt, 19 * 1024, 2, 1));
        assertThat(first).isNotEqualTo(LocalKeyringKekProvider.derive(passphrase, filled(16, 0x08), 19 * 1024, 2, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalKeyringKekProvider.derive(passphrase, salt, 1024, 1, 1))
                .isInstanceOf(IllegalStateException.class);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
