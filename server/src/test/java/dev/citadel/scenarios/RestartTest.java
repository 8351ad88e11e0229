package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.citadel.support.Api;

/**
 * The embedded default keeps everything in its data directory: a second start finds the same
 * tenants, users, keys and certificate; a wrong passphrase or a missing keyring stops the start
 * instead of creating new keys over old data.
 */
class RestartTest {

    private static final String PASSPHRASE = "restart-test-master-passphrase";
    private static final String TOTP = "KRSXG5CTMVRXEZLUKN2XAZLDOJSXI===";

    @TempDir
    Path dataDir;

    @Test
    void aSecondStartKeepsAllStateAndOldTokensStillVerify() throws Exception {
        String token;
        String fingerprint;
        try (ConfigurableApplicationContext first = start(PASSPHRASE)) {
            Api api = api(first);
            token = login(api);
            assertThat(api.post("/api/v1/tenants", token, Api.json("id", "persisted", "name", "Persisted", "region", "eu-west-1"))
                    .status()).isEqualTo(201);
            fingerprint = Files.readString(dataDir.resolve("tls/server.crt"));
        }
        try (ConfigurableApplicationContext second = start(PASSPHRASE)) {
            Api api = api(second);
            assertThat(Files.readString(dataDir.resolve("tls/server.crt"))).as("same certificate").isEqualTo(fingerprint);
            assertThat(api.get("/api/v1/tenants/persisted", token).status()).as("token from the first run").isEqualTo(200);
            assertThat(api.get("/api/v1/tenants", login(api)).body()).contains("\"persisted\"");
        }
    }

    @Test
    void aWrongMasterPassphraseStopsTheStart() {
        start(PASSPHRASE).close();
        assertThatThrownBy(() -> start("not-the-right-master-passphrase"))
                .hasStackTraceContaining("master passphrase is wrong");
    }

    @Test
    void aMissingKeyringIsNeverSilentlyReplaced() throws Exception {
        start(PASSPHRASE).close();
        Files.delete(dataDir.resolve("keyring/keyring.json"));
        assertThatThrownBy(() -> start(PASSPHRASE)).hasStackTraceContaining("Restore the keyring file");
    }

    private ConfigurableApplicationContext start(String passphrase) {
        Map<String, String> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("citadel.data-dir", dataDir.toString());
        properties.put("citadel.keys.master-passphrase", passphrase);
        properties.put("citadel.auth.bootstrap.admin-user", "first-admin");
        properties.put("citadel.auth.bootstrap.admin-password", "restart-scenario-passphrase-2026");
        properties.put("citadel.auth.bootstrap.admin-totp-secret", TOTP);
        return ScenarioServer.start(properties);
    }

    private Api api(ConfigurableApplicationContext context) {
        return ScenarioServer.api(context, dataDir);
    }

    private static String login(Api api) {
        return ScenarioServer.login(api, "first-admin", "restart-scenario-passphrase-2026", TOTP);
    }
}
