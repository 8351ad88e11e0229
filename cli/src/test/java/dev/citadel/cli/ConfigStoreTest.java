package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {

    @TempDir
    Path home;

    @Test
    void theSessionFileIsCreatedReadableOnlyByItsOwnerInAPrivateDirectory() throws Exception {
        ConfigStore store = new ConfigStore(home.resolve("a/citadel"));
        Profile profile = new Profile("https://citadel.example:8443", "sha256:AB", null, "alice", "eyJaccess", "rt_refresh",
                null, "hospital");
        store.save(profile);
        Path file = home.resolve("a/citadel/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(store.load()).isEqualTo(profile);
        store.save(profile.signedOut());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain("eyJaccess", "rt_refresh");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void theProfileNeverShowsItsTokens() {
        Profile profile = new Profile("https://h", null, null, "alice", "eyJaccess", "rt_refresh", null, null);
        assertThat(profile.toString()).doesNotContain("eyJaccess", "rt_refresh").contains("signedIn=true");
    }

    @Test
    void secretFilesAreNewAndPrivate() throws Exception {
        Path secret = home.resolve("app.secret");
        ConfigStore.writeNewPrivateFile(secret, "cs_secret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigStore.writeNewPrivateFile(secret, "other"))
                .isInstanceOf(CliException.class).hasMessageContaining("exists");
        assertThat(Files.readString(secret)).isEqualTo("cs_secret\n");
    }

    @Test
    void theDirectoryComesFromCitadelConfigDirThenXdgThenHome() {
        assertThat(ConfigStore.locate(io(Map.of("CITADEL_CONFIG_DIR", "/x/c", "XDG_CONFIG_HOME", "/x/xdg"))).directory())
                .isEqualTo(Path.of("/x/c"));
        assertThat(ConfigStore.locate(io(Map.of("XDG_CONFIG_HOME", "/x/xdg", "HOME", "/x/home"))).directory())
                .isEqualTo(Path.of("/x/xdg/citadel"));
        assertThat(ConfigStore.locate(io(Map.of("HOME", "/x/home"))).directory()).isEqualTo(Path.of("/x/home/.config/citadel"));
    }

    static Io io(Map<String, String> env) {
        return new Io(java.io.InputStream.nullInputStream(), new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()), env, new Prompter() {
                    @Override
                    public String line(String prompt) {
                        return null;
                    }

                    @Override
                    public char[] secret(String prompt) {
                        return null;
                    }
                });
    }
}
