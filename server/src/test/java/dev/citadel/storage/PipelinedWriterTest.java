package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.storage.store.FilesystemBlobStore;

/** The producer/writer hand-off: bytes arrive intact, and a failure on either side stops both without hanging. */
class PipelinedWriterTest {

    @TempDir
    Path root;

    @Test
    void largeObjectsArriveIntact() throws IOException {
        BlobStore store = new FilesystemBlobStore(root);
        byte[] content = BlobStoreContract.random(7 * PipelinedWriter.CHUNK + 123);
        PipelinedWriter.put(store, "tenants/t/report/x/v1", out -> {
            for (int i = 0; i < content.length; i += 77_777) {
                out.write(content, i, Math.min(77_777, content.length - i));
            }
        });
        try (var in = store.get("tenants/t/report/x/v1")) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    @Timeout(30)
    void aFailingProducerAbortsTheWriteAndKeepsThePreviousObject() throws IOException {
        BlobStore store = new FilesystemBlobStore(root);
        store.put("tenants/t/report/y/v1", out -> out.write("old".getBytes()));
        assertThatThrownBy(() -> PipelinedWriter.put(store, "tenants/t/report/y/v1", out -> {
            out.write(new byte[3 * PipelinedWriter.CHUNK]);
            throw new IOException("producer died");
        })).hasMessage("producer died");
        try (var in = store.get("tenants/t/report/y/v1")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("old");
        }
    }

    @Test
    @Timeout(30)
    void aFailingStoreStopsTheProducerInsteadOfBlockingIt() {
        BlobStore broken = new BlobStore() {
            @Override
            public void put(String key, Content content) throws IOException {
                content.writeTo(new OutputStream() {
                    private long written;

                    @Override
                    public void write(int b) throws IOException {
                        if (++written > PipelinedWriter.CHUNK) {
                            throw new IOException("disk full");
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        written += len;
                        if (written > PipelinedWriter.CHUNK) {
                            throw new IOException("disk full");
                        }
                    }
                });
            }

            @Override
            public java.io.InputStream get(String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean exists(String key) {
                return false;
            }

            @Override
            public void delete(String key) {
            }

            @Override
            public java.util.List<String> list(String prefix) {
                return java.util.List.of();
            }

            @Override
            public String description() {
                return "always full";
            }
        };
        assertThatThrownBy(() -> PipelinedWriter.put(broken, "tenants/t/report/z/v1", out -> {
            for (int i = 0; i < 100; i++) {
                out.write(new byte[PipelinedWriter.CHUNK]);
            }
        })).isInstanceOf(IOException.class).hasMessageContaining("disk full");
    }
}
