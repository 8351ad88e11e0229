package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.storage.StorageProperties.Ack;
import dev.citadel.storage.store.FilesystemBlobStore;
import dev.citadel.storage.store.ReplicatedBlobStore;

/**
 * The replicated store over two filesystem stores: the contract (with each ack mode), then every
 * path a failure of one store takes — writes in both modes, read failover, deletes.
 */
class ReplicatedBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    Outage primary;
    Outage secondary;
    final List<String> repairs = new CopyOnWriteArrayList<>();
    final List<String> failovers = new CopyOnWriteArrayList<>();

    @Override
    BlobStore create() {
        return replicated(Ack.BOTH);
    }

    ReplicatedBlobStore replicated(Ack ack) {
        primary = new Outage(new FilesystemBlobStore(root.resolve("primary")));
        secondary = new Outage(new FilesystemBlobStore(root.resolve("secondary")));
        return new ReplicatedBlobStore(primary, secondary, ack, new ReplicatedBlobStore.Listener() {
            @Override
            public void repairNeeded(String key, boolean delete, String reason) {
                repairs.add((delete ? "delete " : "copy ") + key);
            }

            @Override
            public void failedOver(String key, String reason) {
                failovers.add(key);
            }
        });
    }

    @Override
    int largeObjectBytes() {
        return 3 * 1024 * 1024;
    }

    @Test
    void aWriteStoresTheSameBytesInBothStores() throws IOException {
        byte[] large = random(largeObjectBytes());
        store.put(prefix + "x/v1", out -> out.write(large));
        assertThat(read(primary, prefix + "x/v1")).isEqualTo(large);
        assertThat(read(secondary, prefix + "x/v1")).isEqualTo(large);
        assertThat(repairs).isEmpty();
    }

    @Test
    void withAckBothAWriteFailsWhenTheSecondaryIsDownAndNeitherStoreChanges() throws IOException {
        String key = prefix + "y/v1";
        store.put(key, out -> out.write("previous".getBytes()));
        secondary.down = true;
        assertThatThrownBy(() -> store.put(key, out -> out.write(random(largeObjectBytes()))))
                .isInstanceOf(IOException.class).hasMessageContaining("secondary");
        secondary.down = false;
        assertThat(new String(read(primary, key))).isEqualTo("previous");
        assertThat(new String(read(secondary, key))).isEqualTo("previous");
    }

    @Test
    void withAckBothAStoreFailingAtItsCommitLeavesBothStoresUnchanged() throws IOException {
        String key = prefix + "z/v1";
        secondary.failCommit = true;
        assertThatThrownBy(() -> store.put(key, out -> out.write(random(1024)))).isInstanceOf(IOException.class);
        assertThat(primary.exists(key)).as("the primary abandoned its write").isFalse();
        assertThat(secondary.exists(key)).isFalse();
        assertThat(repairs).isEmpty();
    }

    @Test
    void withAckBothAPrimaryFailingAfterTheSecondaryCommittedFailsTheWriteAndQueuesARepair() throws IOException {
        String key = prefix + "w/v1";
        primary.failCommit = true;
        assertThatThrownBy(() -> store.put(key, out -> out.write(random(1024)))).isInstanceOf(IOException.class)
                .hasMessageContaining("primary");
        assertThat(repairs).containsExactly("copy " + key);
    }

    @Test
    void withAckOneAWriteSucceedsOnOneStoreAndQueuesTheOther() throws IOException {
        store = replicated(Ack.ONE);
        secondary.down = true;
        byte[] content = random(largeObjectBytes());
        store.put(prefix + "a/v1", out -> out.write(content));
        assertThat(read(primary, prefix + "a/v1")).isEqualTo(content);
        assertThat(repairs).containsExactly("copy " + prefix + "a/v1");

        secondary.down = false;
        primary.down = true;
        store.put(prefix + "b/v1", out -> out.write(content));
        assertThat(read(secondary, prefix + "b/v1")).isEqualTo(content);
        assertThat(repairs).containsExactly("copy " + prefix + "a/v1", "copy " + prefix + "b/v1");
    }

    @Test
    void withAckOneAWriteFailsWhenBothStoresFail() {
        store = replicated(Ack.ONE);
        primary.down = true;
        secondary.down = true;
        assertThatThrownBy(() -> store.put(prefix + "c/v1", out -> out.write(1))).isInstanceOf(IOException.class);
        assertThat(repairs).isEmpty();
    }

    @Test
    void aReadFailsOverToTheSecondaryWhenThePrimaryIsDown() throws IOException {
        String key = prefix + "r/v1";
        store.put(key, out -> out.write("content".getBytes()));
        primary.down = true;
        assertThat(new String(read(key))).isEqualTo("content");
        assertThat(store.exists(key)).isTrue();
        assertThat(failovers).containsExactly(key);
        assertThat(repairs).as("nothing is wrong with the copies").isEmpty();
    }

    @Test
    void aReadOfAnObjectMissingOnThePrimaryIsServedByTheSecondaryAndQueuedForRepair() throws IOException {
        String key = prefix + "m/v1";
        store.put(key, out -> out.write("content".getBytes()));
        primary.delete(key);
        assertThat(new String(read(key))).isEqualTo("content");
        assertThat(repairs).containsExactly("copy " + key);
        assertThat(failovers).containsExactly(key);
    }

    @Test
    void anObjectMissingEverywhereIsMissingAndOneThatCannotBeReachedIsUnavailable() throws IOException {
        String key = prefix + "n/v1";
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(NoSuchFileException.class);
        store.put(key, out -> out.write(1));
        primary.down = true;
        secondary.down = true;
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class);
        primary.down = false;
        secondary.down = false;
        secondary.delete(key);
        primary.down = true;
        assertThatThrownBy(() -> store.get(key)).as("the primary may have it: unavailable, not missing")
                .isInstanceOf(IOException.class).isNotInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aDeleteThatFailsOnOneStoreIsQueuedAndOneThatFailsOnBothFails() throws IOException {
        String key = prefix + "d/v1";
        store.put(key, out -> out.write(1));
        secondary.down = true;
        store.delete(key);
        assertThat(primary.exists(key)).isFalse();
        assertThat(repairs).containsExactly("delete " + key);
        primary.down = true;
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IOException.class);
    }

    @Test
    void listingIsTheUnionOfBothStores() throws IOException {
        store.put(prefix + "a/v1", out -> out.write(1));
        primary.put(prefix + "b/v1", out -> out.write(2));
        secondary.put(prefix + "c/v1", out -> out.write(3));
        assertThat(store.list(prefix)).containsExactly(prefix + "a/v1", prefix + "b/v1", prefix + "c/v1");
    }

    /** The contract holds with ack=one as well. */
    @Nested
    class WithAckOne extends BlobStoreContract {
        @Override
        BlobStore create() {
            return replicated(Ack.ONE);
        }

        @Override
        int largeObjectBytes() {
            return 3 * 1024 * 1024;
        }
    }

    static byte[] read(BlobStore store, String key) throws IOException {
        try (InputStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }

    /** A store that can be taken down, or made to fail after receiving every byte of a write. */
    static final class Outage implements BlobStore {
        private final BlobStore delegate;
        volatile boolean down;
        volatile boolean failCommit;

        Outage(BlobStore delegate) {
            this.delegate = delegate;
        }

        private void check() throws IOException {
            if (down) {
                throw new IOException("store down");
            }
        }

        @Override
        public void put(String key, Content content) throws IOException {
            check();
            delegate.put(key, out -> {
                content.writeTo(out);
                if (failCommit) {
                    throw new IOException("commit failed");
                }
            });
        }

        @Override
        public InputStream get(String key) throws IOException {
            check();
            return delegate.get(key);
        }

        @Override
        public boolean exists(String key) throws IOException {
            check();
            return delegate.exists(key);
        }

        @Override
        public void delete(String key) throws IOException {
            check();
            delegate.delete(key);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            check();
            return delegate.list(prefix);
        }

        @Override
        public String description() {
            return "outage(" + delegate.description() + ")";
        }
    }
}
