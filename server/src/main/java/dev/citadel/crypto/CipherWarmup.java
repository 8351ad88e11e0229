package dev.citadel.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Gets the JDK's AES-GCM onto its compiled, hardware-accelerated path at start-up.
 *
 * <p>Blobs are encrypted in 1 MiB segments, so a fresh JVM calls the GCM code only once per MiB;
 * the JIT then takes gigabytes before it compiles it, and until then GCM runs interpreted at a
 * few percent of its speed (measured: 70 MB/s instead of over 5 GB/s, see docs/benchmarks.md).
 * A few thousand small operations with a throw-away key, on a background thread after start-up,
 * get it compiled; nothing secret is involved and nothing waits for it.
 */
@Component
public class CipherWarmup {

    private static final Logger log = LoggerFactory.getLogger(CipherWarmup.class);
    private static final int ROUNDS = 30_000;

    /** Runs the warm-up on the calling thread (benchmarks call this; the server runs it in the background). */
    public static void warmUp() {
        try {
            SecureRandom random = new SecureRandom();
            byte[] key = new byte[32];
            random.nextBytes(key);
            SecretKeySpec spec = new SecretKeySpec(key, "AES");
            Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
            Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] plaintext = new byte[4096];
            byte[] iv = new byte[12];
            for (int i = 0; i < ROUNDS; i++) {
                iv[0] = (byte) i;
                iv[1] = (byte) (i >>> 8);
                iv[2] = (byte) (i >>> 16);
                GCMParameterSpec parameters = new GCMParameterSpec(128, iv);
                encrypt.init(Cipher.ENCRYPT_MODE, spec, parameters);
                byte[] ciphertext = encrypt.doFinal(plaintext);
                decrypt.init(Cipher.DECRYPT_MODE, spec, parameters);
                decrypt.doFinal(ciphertext);
            }
        } catch (GeneralSecurityException e) {
            log.warn("AES-GCM warm-up failed; blob encryption may be slow until the JIT compiles it: {}", e.toString());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        Thread.ofPlatform().name("citadel-cipher-warmup").daemon(true).priority(Thread.MIN_PRIORITY)
                .start(CipherWarmup::warmUp);
    }
}
