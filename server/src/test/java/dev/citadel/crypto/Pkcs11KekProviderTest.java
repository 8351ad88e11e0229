package dev.citadel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.platform.Secret;
import dev.citadel.support.SoftHsm;

/**
 * A real HSM through PKCS#11 (SoftHSM2) against the KEK provider contract, plus what only an HSM
 * can show: the KEK is created inside the token as sensitive and never extractable.
 */
class Pkcs11KekProviderTest extends KekProviderContract {

    private static final AtomicInteger LABELS = new AtomicInteger();
    private String label;

    @BeforeEach
    void token() {
        SoftHsm.requireToken();
        label = "contract-" + LABELS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    @Override
    KekProvider open(boolean mayCreate) {
        return Pkcs11KekProvider.open(new CryptoProperties.Pkcs11(SoftHsm.LIBRARY.toString(), null, 0,
                Secret.of(SoftHsm.PIN), label), mayCreate);
    }

    @Test
    void theKekIsCreatedInTheTokenAsSensitiveAndNeverExtractable() {
        open(true);
        String objects = SoftHsm.pkcs11Tool("--login", "--pin", SoftHsm.PIN, "--list-objects", "--type", "secrkey");
        if (!objects.isEmpty()) {
            String entry = objects.substring(objects.indexOf("label:      " + label + "-v1") - 40);
            assertThat(entry).contains("AES").contains("sensitive").contains("never extractable");
        }
    }

    @Test
    void refusesToCreateANewKekWhenWrappedKeysAlreadyExist() {
        assertThatThrownBy(() -> open(false)).hasMessageContaining("will not create a new KEK");
    }
}
