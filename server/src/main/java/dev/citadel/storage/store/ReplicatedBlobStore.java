package dev.citadel.storage.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.citadel.storage.BlobStore;
import dev.citadel.storage.StorageProperties.Ack;

/**
 * Every object in two stores. A write streams the producer's bytes to both stores at once (each on
 * a virtual thread, through a small bounded queue, so memory stays constant) and lets them commit
 * only once both have received every byte: the secondary first, then the primary.
 *
 * <ul>
 * <li>{@link Ack#BOTH}: the write succeeds only when both copies are stored. When one store fails
 * before committing, the other is told to abandon its write, so neither store changes. When the
 * primary fails after the secondary committed, the write fails and the key is queued for repair
 * (the copies briefly differ; each is a complete object).
 * <li>{@link Ack#ONE}: the write succeeds when at least one copy is stored; the other store's key
 * is queued for repair.
 * </ul>
 *
 * Reads go to the primary; a missing object or an I/O failure there fails over to the secondary
 * (counted, and a missing primary copy is queued for repair). Deletes go to both; a store that
 * fails to delete gets a queued delete. Listing is the union of both stores. Each store keeps its
 * own atomic-write guarantee, so a reader of either never sees a partial object.
 */
public final class ReplicatedBlobStore implements BlobStore {

    private static final Logger log = LoggerFactory.getLogger(ReplicatedBlobStore.class);
    private static final int QUEUE = 4;
    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];
    private static final ExecutorService WRITERS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("citadel-replica-writer-", 1).factory());

    /** Which of the two stores. */
    public enum Replica {
        PRIMARY, SECONDARY;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What the store tells the rest of Citadel: copies to repair, reads that failed over. */
    public interface Listener {
        /** {@code key} needs repair: a copy is missing or stale ({@code delete}: a copy should be gone). */
        void repairNeeded(String key, boolean delete, String reason);

        /** A read of {@code key} was served by the secondary. */
        void failedOver(String key, String reason);

        Listener NONE = new Listener() {
            @Override
            public void repairNeeded(String key, boolean delete, String reason) {}

            @Override
            public void failedOver(String key, String reason) {}
        };
    }

    private final BlobStore primary;
    private final BlobStore secondary;
    private final Ack ack;
    private volatile Listener listener;
    private final java.util.concurrent.atomic.AtomicLong lastFailoverWarning = new java.util.concurrent.atomic.AtomicLong();

    public ReplicatedBlobStore(BlobStore primary, BlobStore secondary, Ack ack, Listener listener) {
        this.primary = primary;
        this.secondary = secondary;
        this.ack = ack;
        this.listener = listener;
    }

    /** The repair queue sits above the store (it needs the database): it registers itself once built. */
    public void listener(Listener listener) {
        this.listener = listener;
    }

    public BlobStore primary() {
        return primary;
    }

    public BlobStore secondary() {
        return secondary;
    }

    public BlobStore store(Replica replica) {
        return replica == Replica.PRIMARY ? primary : secondary;
    }

    public Ack ack() {
        return ack;
    }

    @Override
    public void put(String key, Content content) throws IOException {
        BlobStore.requireValidKey(key);
        Sink first = new Sink(primary, Replica.PRIMARY, key);
        Sink second = new Sink(secondary, Replica.SECONDARY, key);
        List<Sink> sinks = List.of(first, second);
        FanOut fanOut = new FanOut(sinks);
        try {
            BufferedOutputStream buffered = new BufferedOutputStream(fanOut, 256 * 1024);
            content.writeTo(new NonClosing(buffered));
            buffered.flush();
        } catch (IOException | RuntimeException | Error e) {
            sinks.forEach(Sink::abort);
            sinks.forEach(Sink::awaitQuietly);
            throw e;
        }
        for (Sink sink : sinks) {
            sink.end();
        }
        sinks.forEach(Sink::awaitReceived);
        if (ack == Ack.BOTH) {
            commitBoth(key, first, second);
        } else {
            commitOne(key, first, second);
        }
    }

    private void commitBoth(String key, Sink first, Sink second) throws IOException {
        IOException failure = first.failure() != null ? first.failure() : second.failure();
        if (failure != null) {
            first.abandon();
            second.abandon();
            first.awaitQuietly();
            second.awaitQuietly();
            throw new IOException("replicated write failed (" + (first.failure() != null ? "primary" : "secondary")
                    + "); neither store changed: " + failure.getMessage(), failure);
        }
        second.commit();
        IOException secondFailure = second.await();
        if (secondFailure != null) {
            first.abandon();
            first.awaitQuietly();
            throw new IOException("replicated write failed (secondary); neither store changed: " + secondFailure.getMessage(),
                    secondFailure);
        }
        first.commit();
        IOException firstFailure = first.await();
        if (firstFailure != null) {
            repair(key, false, "write failed on the primary after the secondary stored it");
            throw new IOException("replicated write failed (primary): " + firstFailure.getMessage(), firstFailure);
        }
    }

    private void commitOne(String key, Sink first, Sink second) throws IOException {
        if (second.failure() == null) {
            second.commit();
        }
        if (first.failure() == null) {
            first.commit();
        }
        IOException secondFailure = second.await();
        IOException firstFailure = first.await();
        if (firstFailure != null && secondFailure != null) {
            throw new IOException("replicated write failed on both stores: " + firstFailure.getMessage(), firstFailure);
        }
        if (firstFailure != null || secondFailure != null) {
            Replica missing = firstFailure != null ? Replica.PRIMARY : Replica.SECONDARY;
            log.warn("Stored {} on one store only ({} failed: {}); queued for repair", key, missing.wireName(),
                    (firstFailure != null ? firstFailure : secondFailure).getMessage());
            repair(key, false, "written with ack=one; the " + missing.wireName() + " failed");
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        BlobStore.requireValidKey(key);
        try {
            return primary.get(key);
        } catch (NoSuchFileException missing) {
            InputStream in = secondary.get(key); // NoSuchFileException when missing on both
            failover(key, "missing on the primary");
            repair(key, false, "missing on the primary, present on the secondary");
            return in;
        } catch (IOException unavailable) {
            InputStream in;
            try {
                in = secondary.get(key);
            } catch (NoSuchFileException missingThere) {
                throw unavailable; // the primary may have it: it is unavailable, not missing
            } catch (IOException alsoUnavailable) {
                unavailable.addSuppressed(alsoUnavailable);
                throw unavailable;
            }
            failover(key, "primary unavailable");
            return in;
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        BlobStore.requireValidKey(key);
        try {
            if (primary.exists(key)) {
                return true;
            }
        } catch (IOException unavailable) {
            try {
                return secondary.exists(key);
            } catch (IOException alsoUnavailable) {
                unavailable.addSuppressed(alsoUnavailable);
                throw unavailable;
            }
        }
        return secondary.exists(key);
    }

    @Override
    public void delete(String key) throws IOException {
        BlobStore.requireValidKey(key);
        IOException primaryFailure = deleteFrom(primary, key);
        IOException secondaryFailure = deleteFrom(secondary, key);
        if (primaryFailure != null && secondaryFailure != null) {
            primaryFailure.addSuppressed(secondaryFailure);
            throw primaryFailure;
        }
        if (primaryFailure != null || secondaryFailure != null) {
            repair(key, true, "delete failed on the " + (primaryFailure != null ? "primary" : "secondary"));
        }
    }

    private static IOException deleteFrom(BlobStore store, String key) {
        try {
            store.delete(key);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** The union of both stores' keys: an object stored on one store only is still listed (and so erased). */
    @Override
    public List<String> list(String prefix) throws IOException {
        TreeSet<String> keys = new TreeSet<>(primary.list(prefix));
        keys.addAll(secondary.list(prefix));
        return new ArrayList<>(keys);
    }

    @Override
    public String description() {
        return "replicated (ack " + ack.name().toLowerCase(java.util.Locale.ROOT) + "; primary " + primary.description()
                + "; secondary " + secondary.description() + ")";
    }

    private void repair(String key, boolean delete, String reason) {
        try {
            listener.repairNeeded(key, delete, reason);
        } catch (RuntimeException e) {
            log.error("Could not queue {} for repair ({}): {}", key, reason, e.getMessage());
        }
    }

    private void failover(String key, String reason) {
        long now = System.nanoTime();
        long last = lastFailoverWarning.get();
        if ((last == 0 || now - last > java.util.concurrent.TimeUnit.MINUTES.toNanos(1))
                && lastFailoverWarning.compareAndSet(last, now)) {
            // at most once a minute: while the primary is down every read fails over (the metric counts them)
            log.warn("Read of {} failed over to the secondary store: {}", key, reason);
        } else {
            log.debug("Read of {} failed over to the secondary store: {}", key, reason);
        }
        try {
            listener.failedOver(key, reason);
        } catch (RuntimeException e) {
            log.error("Could not record a failover: {}", e.getMessage());
        }
    }

    /** Hands each chunk to every store that is still writing; fails at once when the ack mode can no longer be met. */
    private final class FanOut extends OutputStream {
        private final List<Sink> sinks;

        FanOut(List<Sink> sinks) {
            this.sinks = sinks;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            byte[] chunk = java.util.Arrays.copyOfRange(b, off, off + len);
            int alive = 0;
            for (Sink sink : sinks) {
                if (sink.send(chunk)) {
                    alive++;
                }
            }
            if (alive == 0 || (ack == Ack.BOTH && alive < sinks.size())) {
                Sink failed = sinks.stream().filter(sink -> sink.failure() != null).findFirst().orElse(null);
                IOException cause = failed == null ? null : failed.failure();
                throw new IOException("replicated write failed"
                        + (failed == null ? "" : " (" + failed.replica.wireName() + "): " + cause.getMessage()), cause);
            }
        }
    }

    /** One store's side of a write: its own virtual thread, fed through a bounded queue, committing on permission. */
    private static final class Sink {
        private final BlobStore store;
        private final Replica replica;
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
        private final CompletableFuture<Void> received = new CompletableFuture<>();
        private final CompletableFuture<Boolean> permit = new CompletableFuture<>();
        private final CompletableFuture<Void> finished = new CompletableFuture<>();

        Sink(BlobStore store, Replica replica, String key) {
            this.store = store;
            this.replica = replica;
            WRITERS.execute(() -> {
                try {
                    store.put(key, out -> {
                        try {
                            for (byte[] chunk = queue.take(); chunk != END; chunk = queue.take()) {
                                if (chunk == ABORT) {
                                    throw new IOException("the producer failed; write aborted");
                                }
                                out.write(chunk);
                            }
                            received.complete(null);
                            if (!permit.get()) {
                                throw new IOException("write abandoned: the other copy failed");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted", e);
                        } catch (ExecutionException e) {
                            throw new IOException(e.getCause());
                        }
                    });
                    finished.complete(null);
                } catch (Throwable e) {
                    finished.completeExceptionally(e);
                }
            });
        }

        /** Queues a chunk; false when this store has already failed. */
        boolean send(byte[] chunk) throws IOException {
            try {
                while (!finished.isDone()) {
                    if (queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        void end() throws IOException {
            send(END);
        }

        void abort() {
            try {
                send(ABORT);
            } catch (IOException ignored) {
                // interrupted: the store's thread still ends when the queue is abandoned below
            }
            permit.complete(false);
        }

        void commit() {
            permit.complete(true);
        }

        void abandon() {
            permit.complete(false);
        }

        /** Until this store has every byte (or failed). */
        void awaitReceived() {
            try {
                CompletableFuture.anyOf(received, finished).join();
            } catch (CompletionException failed) {
                // recorded in finished
            }
        }

        /** The failure so far, if this store's write has already failed. */
        IOException failure() {
            if (!finished.isCompletedExceptionally()) {
                return null;
            }
            return await();
        }

        /** Until the write ends: null when stored. */
        IOException await() {
            try {
                finished.join();
                return null;
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                return cause instanceof IOException io ? io
                        : new IOException(replica.wireName() + " store failed: " + cause, cause);
            }
        }

        void awaitQuietly() {
            await();
        }

        @Override
        public String toString() {
            return replica.wireName() + " " + store.description();
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
