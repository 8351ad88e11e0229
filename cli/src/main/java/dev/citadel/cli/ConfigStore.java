package dev.citadel.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CLI's configuration directory: {@code $CITADEL_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/citadel},
 * else {@code ~/.config/citadel}. It holds {@code config.json} (the {@link Profile}, with the
 * session's tokens) and {@code checkpoints/<tenant>.json} (the last audit checkpoint seen).
 *
 * <p>Security guarantees: the directory is created {@code 0700} and every file {@code 0600} at
 * creation (the permissions are set atomically with the file, never by a later chmod), then moved
 * into place, so the tokens are never readable by another user, not even for an instant. On a file
 * system without POSIX permissions the files get the platform's defaults.
 */
final class ConfigStore {

    static final String CONFIG_FILE = "config.json";
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;

    ConfigStore(Path directory) {
        this.directory = directory;
    }

    static ConfigStore locate(Io io) {
        String explicit = io.env("CITADEL_CONFIG_DIR");
        if (explicit != null) {
            return new ConfigStore(Path.of(explicit));
        }
        String xdg = io.env("XDG_CONFIG_HOME");
        if (xdg != null) {
            return new ConfigStore(Path.of(xdg, "citadel"));
        }
        String home = io.env("HOME") != null ? io.env("HOME") : System.getProperty("user.home");
        return new ConfigStore(Path.of(home, ".config", "citadel"));
    }

    Path directory() {
        return directory;
    }

    Profile load() {
        Path file = directory.resolve(CONFIG_FILE);
        if (!Files.exists(file)) {
            return Profile.EMPTY;
        }
        try {
            JsonNode json = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return new Profile(text(json, "server"), text(json, "pin"), text(json, "caCert"), text(json, "principal"),
                    text(json, "accessToken"), text(json, "refreshToken"), text(json, "clientId"), text(json, "tenant"));
        } catch (IOException | JacksonException e) {
            throw CliException.failed("cannot read " + file + " (remove it and log in again): " + e.getMessage());
        }
    }

    void save(Profile profile) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("server", profile.server());
        json.put("pin", profile.pin());
        json.put("caCert", profile.caCert());
        json.put("principal", profile.principal());
        json.put("tenant", profile.tenant());
        json.put("clientId", profile.clientId());
        json.put("accessToken", profile.accessToken());
        json.put("refreshToken", profile.refreshToken());
        write(CONFIG_FILE, Json.pretty(json));
    }

    /** Reads a file of the directory, or null when it does not exist. */
    String read(String relative) {
        Path file = directory.resolve(relative);
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw CliException.failed("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Replaces a file of the directory atomically with {@code content}, created 0600. */
    void write(String relative, String content) {
        Path target = directory.resolve(relative);
        try {
            createPrivateDirectories(target.getParent());
        } catch (IOException e) {
            throw CliException.failed("cannot create " + target.getParent() + ": " + e.getMessage());
        }
        replacePrivateFile(target, content);
    }

    /** Replaces {@code target} atomically with a file created 0600 holding {@code content}. */
    static void replacePrivateFile(Path target, String content) {
        Path temporary = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            createPrivateFile(temporary);
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CliException.failed("cannot write " + target + ": " + e.getMessage());
        }
    }

    /** Creates a new file readable only by its owner; fails if it exists. */
    static void createPrivateFile(Path file) throws IOException {
        try {
            Files.createFile(file, FILE);
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    /** Writes a new private file (0600) outside the directory, refusing to replace an existing one. */
    static void writeNewPrivateFile(Path file, String content) {
        try {
            createPrivateFile(file);
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw CliException.usage(file + " exists; choose another file");
        } catch (IOException e) {
            throw CliException.failed("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            Files.createDirectories(dir.getParent());
        }
        try {
            Files.createDirectory(dir, DIRECTORY);
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // created meanwhile
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isString() ? value.asString() : null;
    }
}
