package dev.citadel.bench;

import static dev.citadel.bench.Measurements.median;
import static dev.citadel.bench.Measurements.nonClosing;
import static dev.citadel.bench.Measurements.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

import dev.citadel.storage.BlobStore;
import dev.citadel.storage.store.FilesystemBlobStore;

/**
 * Encrypt+store and load+decrypt throughput of one blob stream against a plain copy of the same
 * bytes through the same store (temporary file, fsync, atomic rename), in one run, interleaved.
 * Encryption is what the server does: Tink AES-256-GCM-HKDF streaming AEAD, 1 MiB segments.
 * Encrypt+store variants: one thread that hashes, encrypts and writes, and the server's
 * PipelinedWriter (hash and encrypt on the caller's thread, store I/O on another) with and without
 * the hash.
 */
public final class BlobThroughput {

    private static final int BUFFER = 256 * 1024;
    private static final byte[] AD = "citadel-blob-v1|bench".getBytes();

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        StreamingAeadConfig.register();
        dev.citadel.crypto.CipherWarmup.warmUp();
        StreamingAead aead = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB)
                .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        Path work = Files.createTempDirectory("citadel-bench-");
        Path source = work.resolve("source.bin");
        long bytes = (long) mib * 1024 * 1024;
        writeRandom(source, bytes);
        BlobStore store = new FilesystemBlobStore(work.resolve("store"));

        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int r = 0; r < repetitions + 1; r++) {
            boolean warmup = r == 0;
            record("plain copy (store put)", results, warmup, bytes, () -> store.put("plain/v1", out -> copy(source, out)));
            record("SHA-256+encrypt+store, one thread", results, warmup, bytes, () -> store.put("enc/v1",
                    out -> hashAndEncrypt(aead, source, out)));
            record("SHA-256+encrypt+store, pipelined (the server: PipelinedWriter)", results, warmup, bytes,
                    () -> dev.citadel.storage.PipelinedWriter.put(store, "enc2/v1", out -> hashAndEncrypt(aead, source, out)));
            record("encrypt+store, pipelined, no hash", results, warmup, bytes,
                    () -> dev.citadel.storage.PipelinedWriter.put(store, "enc3/v1", out -> encrypt(aead, source, out)));
            record("plain read (store get)", results, warmup, bytes, () -> drain(store.get("plain/v1")));
            record("load+decrypt", results, warmup, bytes, () -> drain(aead.newDecryptingStream(store.get("enc/v1"), AD)));
        }

        System.out.printf("%n%d MiB per operation, %d repetitions after one warm-up, JDK %s, %d cores%n%n", mib,
                repetitions, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("| operation | median MB/s | ratio to plain |");
        System.out.println("|---|---:|---:|");
        double plainWrite = median(results.get("plain copy (store put)"));
        double plainRead = median(results.get("plain read (store get)"));
        for (Map.Entry<String, List<Double>> entry : results.entrySet()) {
            double median = median(entry.getValue());
            double base = entry.getKey().startsWith("plain read") || entry.getKey().startsWith("load") ? plainRead : plainWrite;
            System.out.printf("| %s | %.0f | %.2f× |%n", entry.getKey(), median, median / base);
        }
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Encryption alone, for comparison with the hashed path. */
    private static void encrypt(StreamingAead aead, Path source, OutputStream out) throws IOException {
        try (OutputStream encrypting = aead.newEncryptingStream(nonClosing(out), AD)) {
            copy(source, encrypting);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** What EncryptedBlobs does per write: SHA-256 of the plaintext and streaming encryption. */
    private static void hashAndEncrypt(StreamingAead aead, Path source, OutputStream out) throws IOException {
        try (OutputStream encrypting = aead.newEncryptingStream(nonClosing(out), AD)) {
            java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
            copy(source, new java.security.DigestOutputStream(encrypting, sha256));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static void copy(Path source, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(source)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        try (in) {
            byte[] buffer = new byte[BUFFER];
            while (in.read(buffer) > 0) {
                // discard
            }
        }
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        }
    }
}
