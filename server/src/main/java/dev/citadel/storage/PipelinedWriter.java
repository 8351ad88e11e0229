package dev.citadel.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Overlaps producing an object (hashing and encrypting, on the caller's thread) with storing it
 * (file or network I/O, on a virtual thread): the producer hands 1 MiB chunks over a bounded queue,
 * so memory stays at a few MiB per write whatever the object's size. Measured in
 * docs/benchmarks.md: on two cores this takes hash+encrypt+store from 0.35× to 0.57× of a plain copy.
 *
 * <p>Failure on either side stops both: a producer failure aborts the store write (the store then
 * keeps the old object or nothing), a store failure surfaces to the producer at its next chunk.
 */
public final class PipelinedWriter {

    static final int CHUNK = 1 << 20;
    private static final int QUEUE = 4;
    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];
    private static final ExecutorService WRITERS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("citadel-blob-writer-", 1).factory());

    private PipelinedWriter() {}

    /** Produces the object's bytes on this thread while {@code store} writes them under {@code key}. */
    public static void put(BlobStore store, String key, BlobStore.Content producer) throws IOException {
        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
        Future<?> writing = WRITERS.submit(() -> {
            store.put(key, out -> {
                try {
                    for (byte[] chunk = queue.take(); chunk != END; chunk = queue.take()) {
                        if (chunk == ABORT) {
                            throw new IOException("the producer failed; write aborted");
                        }
                        out.write(chunk);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            });
            return null;
        });
        Chunker chunker = new Chunker(queue, writing);
        try {
            producer.writeTo(chunker);
            chunker.finish();
        } catch (IOException | RuntimeException e) {
            chunker.abort();
            awaitQuietly(writing);
            throw e;
        }
        await(writing);
    }

    private static void await(Future<?> writing) throws IOException {
        try {
            writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    private static void awaitQuietly(Future<?> writing) {
        try {
            writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException expected) {
            // the abort makes the store write fail; the producer's own failure is what the caller sees
        }
    }

    /** Cuts the producer's stream into chunks; fails fast when the writer has already failed. */
    private static final class Chunker extends OutputStream {
        private final BlockingQueue<byte[]> queue;
        private final Future<?> writing;
        private byte[] chunk = new byte[CHUNK];
        private int used;

        Chunker(BlockingQueue<byte[]> queue, Future<?> writing) {
            this.queue = queue;
            this.writing = writing;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, chunk.length - used);
                System.arraycopy(b, off, chunk, used, n);
                used += n;
                off += n;
                len -= n;
                if (used == chunk.length) {
                    hand(chunk);
                    chunk = new byte[CHUNK];
                    used = 0;
                }
            }
        }

        @Override
        public void close() {
            // the producer may close its stream; finishing is explicit
        }

        void finish() throws IOException {
            if (used > 0) {
                hand(Arrays.copyOf(chunk, used));
                used = 0;
            }
            hand(END);
        }

        void abort() {
            try {
                while (!writing.isDone() && !queue.offer(ABORT, 50, TimeUnit.MILLISECONDS)) {
                    // the writer is busy; retry until it takes the abort or has stopped
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                writing.cancel(true);
            }
        }

        private void hand(byte[] bytes) throws IOException {
            try {
                while (!queue.offer(bytes, 50, TimeUnit.MILLISECONDS)) {
                    if (writing.isDone()) {
                        await(writing);
                        throw new IOException("the object store stopped accepting data");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
