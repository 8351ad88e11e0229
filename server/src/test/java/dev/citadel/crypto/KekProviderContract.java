package dev.citadel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import com.google.crypto.tink.aead.AeadConfig;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every KEK provider must do (Micrometer's compatibility-kit pattern): each implementation's
 * test extends this and supplies {@link #open}. Adding a provider means adding one subclass.
 */
abstract class KekProviderContract {

    private static final byte[] AD = "citadel-keyset-v1|acme|blobs".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void tink() throws GeneralSecurityException {
        AeadConfig.register();
    }

    /** Opens the provider on the same persistent state each time it is called within a test. */
    abstract KekProvider open(boolean mayCreate);

    @Test
    void wrapsAndUnwrapsBoundToAssociatedData() throws Exception {
        KekProvider kek = open(true);
        byte[] wrapped = kek.current().aead().encrypt("keyset bytes".getBytes(), AD);
        assertThat(new String(kek.version(kek.current().id()).aead().decrypt(wrapped, AD))).isEqualTo("keyset bytes");
        assertThat(new String(wrapped, StandardCharsets.ISO_8859_1)).doesNotContain("keyset bytes");
        assertThatThrownBy(() -> kek.current().aead().decrypt(wrapped, "citadel-keyset-v1|other|blobs".getBytes()))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void detectsEverySingleBitFlip() throws Exception {
        KekProvider kek = open(true);
        byte[] wrapped = kek.current().aead().encrypt(new byte[64], AD);
        for (int bit = 0; bit < wrapped.length * 8; bit++) {
            byte[] flipped = wrapped.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> kek.current().aead().decrypt(flipped, AD)).isInstanceOf(GeneralSecurityException.class);
        }
    }

    @Test
    void rotationMakesANewCurrentVersionAndOldVersionsStillUnwrap() throws Exception {
        KekProvider kek = open(true);
        KekProvider.Kek before = kek.current();
        byte[] old = before.aead().encrypt("old".getBytes(), AD);
        KekProvider.Kek after = kek.rotate();
        assertThat(after.id()).isNotEqualTo(before.id());
        assertThat(kek.current().id()).isEqualTo(after.id());
        assertThat(new String(kek.version(before.id()).aead().decrypt(old, AD))).isEqualTo("old");
        byte[] fresh = kek.current().aead().encrypt("new".getBytes(), AD);

        KekProvider reopened = open(false);
        assertThat(reopened.current().id()).as("the rotation persisted").isEqualTo(after.id());
        assertThat(new String(reopened.version(before.id()).aead().decrypt(old, AD))).isEqualTo("old");
        assertThat(new String(reopened.version(after.id()).aead().decrypt(fresh, AD))).isEqualTo("new");
    }

    @Test
    void describesItselfWithoutSecrets() {
        KekProvider kek = open(true);
        assertThat(kek.description()).isNotBlank().doesNotContainIgnoringCase("pin=").doesNotContainIgnoringCase("passphrase=");
    }
}
