package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every object store must guarantee (one subclass per implementation): round trips, listing
 * by tenant prefix, and atomic writes — a write that fails part-way leaves the previous object (or
 * nothing) and no visible partial object.
 */
abstract class BlobStoreContract {

    protected BlobStore store;
    protected String prefix;

    abstract BlobStore create();

    /** Bytes big enough to need several parts of a multipart upload where the store has parts. */
    abstract int largeObjectBytes();

    @BeforeEach
    void fresh() {
        store = create();
        prefix = "tenants/t" + UUID.randomUUID().toString().substring(0, 8) + "/dataset/";
    }

    @Test
    void storesAndReturnsSmallAndLargeObjects() throws IOException {
        byte[] small = "hello".getBytes();
        byte[] large = random(largeObjectBytes());
        store.put(prefix + "a/v1", out -> out.write(small));
        store.put(prefix + "b/v1", out -> {
            for (int i = 0; i < large.length; i += 100_000) {
                out.write(large, i, Math.min(100_000, large.length - i));
            }
        });
        assertThat(read(prefix + "a/v1")).isEqualTo(small);
        assertThat(read(prefix + "b/v1")).isEqualTo(large);
        assertThat(store.exists(prefix + "a/v1")).isTrue();
        assertThat(store.list(prefix)).containsExactly(prefix + "a/v1", prefix + "b/v1");
    }

    @Test
    void anEmptyObjectIsAnObject() throws IOException {
        store.put(prefix + "empty/v1", out -> { });
        assertThat(read(prefix + "empty/v1")).isEmpty();
    }

    @Test
    void aFailedOverwriteLeavesThePreviousObjectIntact() throws IOException {
        String key = prefix + "c/v1";
        store.put(key, out -> out.write("previous".getBytes()));
        byte[] large = random(largeObjectBytes());
        assertThatThrownBy(() -> store.put(key, out -> {
            out.write(large);
            throw new IOException("the writer died half-way");
        })).isInstanceOf(IOException.class);
        assertThat(new String(read(key))).isEqualTo("previous");
        assertThat(store.list(prefix)).containsExactly(key);
    }

    @Test
    void aFailedFirstWriteLeavesNothing() throws IOException {
        String key = prefix + "d/v1";
        assertThatThrownBy(() -> store.put(key, out -> {
            out.write(random(1024));
            throw new IOException("crash");
        })).isInstanceOf(IOException.class);
        assertThat(store.exists(key)).isFalse();
        assertThat(store.list(prefix)).isEmpty();
    }

    @Test
    void deletedAndMissingObjectsAreGone() throws IOException {
        String key = prefix + "e/v1";
        store.put(key, out -> out.write(1));
        store.delete(key);
        assertThat(store.exists(key)).isFalse();
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(NoSuchFileException.class);
        store.delete(key);
    }

    @Test
    void refusesKeysThatCouldEscapeTheStore() {
        for (String bad : new String[] {"../x", "tenants/../../etc/passwd", "/abs", "Tenants/A", "a//b"}) {
            assertThatThrownBy(() -> store.put(bad, out -> out.write(1))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    protected byte[] read(String key) throws IOException {
        try (InputStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
