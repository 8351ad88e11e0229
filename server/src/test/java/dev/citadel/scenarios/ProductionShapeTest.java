package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.citadel.crypto.BlobContext;
import dev.citadel.platform.TenantId;
import dev.citadel.storage.EncryptedBlobs;
import dev.citadel.support.Api;
import dev.citadel.support.S3ProxyServer;
import dev.citadel.support.SoftHsm;

/**
 * The production key and storage shape for real: the KEK in an HSM through PKCS#11 (SoftHSM2) and
 * blobs in an S3-compatible object store (s3proxy on loopback). Proves keys are wrapped by the HSM,
 * objects in the store are ciphertext, KEK rotation creates a new non-extractable key in the token,
 * and a restart reads everything back through the HSM.
 */
class ProductionShapeTest {

    private static final String TOTP = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String PASSWORD = "production-shape-admin-passphrase";

    @TempDir
    Path dataDir;

    private String label;
    private String bucket;

    @BeforeEach
    void realHsmAndObjectStore() {
        SoftHsm.requireToken();
        label = "prod-" + UUID.randomUUID().toString().substring(0, 8);
        bucket = "citadel-" + label;
    }

    @Test
    void hsmWrappedKeysAndEncryptedObjectsSurviveRotationAndRestart() throws Exception {
        String marker = "PATIENT 4711 Jane Roe " + UUID.randomUUID();
        BlobContext blob;
        try (ConfigurableApplicationContext app = start()) {
            Api api = api(app);
            String admin = login(api);
            Api.Response tenant = api.post("/api/v1/tenants", admin, Api.json("id", "hospital", "name", "Hospital", "region",
                    "eu-west-1"));
            assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
            blob = new BlobContext(new TenantId("hospital"), BlobContext.BlobKind.DATASET, UUID.randomUUID(), 1);
            app.getBean(EncryptedBlobs.class).write(blob, new ByteArrayInputStream(marker.repeat(100).getBytes()));

            Api.Response kek = api.get("/api/v1/platform/kek", admin);
            assertThat(kek.json().path("provider").asString()).startsWith("PKCS#11");
            assertThat(kek.json().path("currentVersion").asString()).isEqualTo("pkcs11:" + label + "-v1");

            assertThat(java.nio.file.Files.walk(S3ProxyServer.get().dataDirectory())
                    .filter(java.nio.file.Files::isRegularFile).map(Path::toString)
                    .filter(p -> p.contains(bucket)).toList()).as("the object is in the bucket").isNotEmpty();
            assertThat(dev.citadel.support.PlaintextScan.filesContaining(S3ProxyServer.get().dataDirectory(),
                    marker.getBytes(StandardCharsets.UTF_8))).as("only ciphertext in the object store").isEmpty();
            assertThat(dev.citadel.support.PlaintextScan.filesContaining(dataDir,
                    marker.getBytes(StandardCharsets.UTF_8))).isEmpty();

            Api.Response rotated = api.post("/api/v1/platform/kek/rotation", admin, "{}");
            assertThat(rotated.json().path("kekId").asString()).isEqualTo("pkcs11:" + label + "-v2");
            assertThat(rotated.json().path("failedTenants").size()).isZero();
            String objects = SoftHsm.pkcs11Tool("--login", "--pin", SoftHsm.PIN, "--list-objects", "--type", "secrkey");
            if (!objects.isEmpty()) {
                String v2 = objects.substring(objects.indexOf("label:      " + label + "-v2") - 40);
                assertThat(v2).contains("sensitive").contains("never extractable");
            }
            Api.Response metrics = api.get("/actuator/prometheus", admin);
            assertThat(metrics.body()).contains("citadel_kek_operations_total{operation=\"wrap\",provider=\"pkcs11\"}");
        }
        try (ConfigurableApplicationContext restarted = start()) {
            byte[] back = restarted.getBean(EncryptedBlobs.class).readAllBytes(blob);
            assertThat(new String(back)).startsWith(marker);
            Api api = api(restarted);
            Api.Response trail = api.get("/api/v1/platform/audit?limit=200", login(api));
            assertThat(trail.body()).contains("key.unwrap").contains("pkcs11:" + label + "-v2");
        }
    }

    private ConfigurableApplicationContext start() {
        Map<String, String> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("citadel.data-dir", dataDir.toString());
        properties.put("citadel.keys.provider", "pkcs11");
        properties.put("citadel.keys.pkcs11.library", SoftHsm.LIBRARY.toString());
        properties.put("citadel.keys.pkcs11.pin", SoftHsm.PIN);
        properties.put("citadel.keys.pkcs11.key-label", label);
        properties.put("citadel.storage.backend", "s3");
        properties.put("citadel.storage.s3.endpoint", S3ProxyServer.get().endpoint());
        properties.put("citadel.storage.s3.bucket", bucket);
        properties.put("citadel.storage.s3.access-key", S3ProxyServer.ACCESS_KEY);
        properties.put("citadel.storage.s3.secret-key", S3ProxyServer.SECRET_KEY);
        properties.put("citadel.storage.s3.create-bucket", "true");
        properties.put("citadel.storage.s3.path-style", "true");
        properties.put("citadel.auth.bootstrap.admin-user", "operator");
        properties.put("citadel.auth.bootstrap.admin-password", PASSWORD);
        properties.put("citadel.auth.bootstrap.admin-totp-secret", TOTP);
        return ScenarioServer.start(properties);
    }

    private Api api(ConfigurableApplicationContext context) {
        return ScenarioServer.api(context, dataDir);
    }

    private static String login(Api api) {
        return ScenarioServer.login(api, "operator", PASSWORD, TOTP);
    }
}
