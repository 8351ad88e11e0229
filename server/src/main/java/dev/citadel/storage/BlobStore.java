package dev.citadel.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where ciphertext lives: a filesystem directory or an S3-compatible bucket. Keys are
 * {@code tenants/<tenant>/<kind>/<object id>/v<version>} — never user-supplied names.
 *
 * <p>Guarantees every implementation keeps (checked by the contract test): {@link #put} is atomic —
 * a failure or crash mid-write leaves the previous object or nothing, never a partial one; readers
 * never see an object before it is complete.
 */
public interface BlobStore {

    /** Writes the object produced by {@code content}; the stream it is given must not be closed by it. */
    void put(String key, Content content) throws IOException;

    /** Opens the object; {@link java.nio.file.NoSuchFileException} when it does not exist. */
    InputStream get(String key) throws IOException;

    boolean exists(String key) throws IOException;

    void delete(String key) throws IOException;

    /** Keys under {@code prefix}, sorted. */
    List<String> list(String prefix) throws IOException;

    /** A short, non-secret description for logs. */
    String description();

    /** Keys: lower-case segments of letters, digits, '.', '_' and '-' joined by '/'; nothing that could climb out. */
    java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");

    /** Returns {@code key} if it is a valid key; a programming error otherwise. */
    static String requireValidKey(String key) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("invalid blob key");
        }
        return key;
    }

    /** Produces an object's bytes. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}
