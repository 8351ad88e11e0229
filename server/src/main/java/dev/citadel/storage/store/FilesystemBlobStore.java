package dev.citadel.storage.store;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.citadel.storage.BlobStore;

/**
 * Blobs as files under a root directory. A write goes to a temporary file in the target's
 * directory, is fsynced, renamed over the target atomically, and the directory is fsynced, so a
 * crash leaves the old object or the new one. Leftover temporary files from a crash are removed at
 * start-up.
 */
public final class FilesystemBlobStore implements BlobStore {

    private static final Logger log = LoggerFactory.getLogger(FilesystemBlobStore.class);
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;

    public FilesystemBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the blob directory " + root, e);
        }
        removeLeftoverTemporaryFiles();
    }

    @Override
    public void put(String key, Content content) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID() + ".part");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 256 * 1024);
            content.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            });
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    @Override
    public InputStream get(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path start = prefix.isEmpty() ? root : resolve(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public String description() {
        return "filesystem (" + root + ")";
    }

    /** Resolves a key to a path inside the root; anything else is a programming error. */
    Path resolve(String key) {
        Path path = root.resolve(BlobStore.requireValidKey(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("invalid blob key");
        }
        return path;
    }

    private void removeLeftoverTemporaryFiles() {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    if (file.getFileName().toString().startsWith(TEMP_PREFIX)) {
                        Files.deleteIfExists(file);
                        log.warn("Removed an incomplete blob write left by a crash: {}", root.relativize(file));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not sweep temporary blob files: {}", e.getMessage());
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // not every filesystem lets a directory be opened for fsync; the rename is still atomic
        }
    }

    static boolean isMissing(IOException e) {
        return e instanceof NoSuchFileException;
    }
}
