package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.citadel.deployments.ServingFixtures;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.PlaintextScan;
import dev.citadel.support.S3ProxyServer;
import dev.citadel.training.ClinicalRecords;

/**
 * Data residency with two regions and two real stores: eu-west-1 on a filesystem directory, us-east-1
 * in an S3-compatible bucket (s3proxy). Each tenant's datasets, models and keys' blobs land only in
 * its region's store (and only as ciphertext), a tenant cannot be created in a region without a
 * store, and a model trained on EU data is refused a deployment in the US.
 */
class ResidencyTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path euStore;

    @Test
    void eachTenantsObjectsLiveOnlyInTheStoreOfItsRegionAndDataDoesNotLeaveIt() throws IOException {
        String bucket = "citadel-us-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext app = start(bucket)) {
            Api api = ScenarioServer.api(app, dataDir);
            Fixtures fx = Fixtures.forServer(api, ScenarioServer.CLOCK);
            String admin = fx.adminToken();
            String eu = Fixtures.unique("eu-clinic");
            String us = Fixtures.unique("us-clinic");
            assertThat(api.post("/api/v1/tenants", admin, Api.json("id", eu, "name", "EU clinic", "region", "eu-west-1"))
                    .status()).isEqualTo(201);
            assertThat(api.post("/api/v1/tenants", admin, Api.json("id", us, "name", "US clinic", "region", "us-east-1"))
                    .status()).isEqualTo(201);
            Api.Response nowhere = api.post("/api/v1/tenants", admin, Api.json("id", Fixtures.unique("ap"), "name", "AP",
                    "region", "ap-south-1"));
            assertThat(nowhere.status()).isEqualTo(400);
            assertThat(nowhere.code()).isEqualTo("tenant.region_unavailable");

            String csv = ClinicalRecords.csv(150, 8);
            for (String tenant : List.of(eu, us)) {
                Fixtures.User scientist = fx.member(tenant, "data-scientist");
                Api.Response uploaded = api.postRaw("/api/v1/tenants/" + tenant + "/datasets/visits/versions",
                        fx.token(scientist), "text/csv", csv);
                assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
                Api.Response back = api.get("/api/v1/tenants/" + tenant + "/datasets/visits/versions/1/content",
                        fx.token(fx.member(tenant, "data-steward")));
                assertThat(back.status()).isEqualTo(200);
                assertThat(back.body()).contains("readmitted");
            }

            assertThat(keysUnder(euStore, eu)).as("the EU tenant's objects are in the EU store").isNotEmpty();
            assertThat(keysUnder(euStore, us)).as("and the US tenant's are not").isEmpty();
            Path s3 = S3ProxyServer.get().dataDirectory();
            assertThat(keysUnder(s3, us).stream().filter(p -> p.toString().contains(bucket)).toList())
                    .as("the US tenant's objects are in the US bucket").isNotEmpty();
            assertThat(keysUnder(s3, eu)).as("and the EU tenant's are not").isEmpty();
            assertThat(keysUnder(dataDir, eu)).as("nor in the default store").isEmpty();
            assertThat(keysUnder(dataDir, us)).isEmpty();
            byte[] value = "readmitted".getBytes(StandardCharsets.UTF_8);
            assertThat(PlaintextScan.filesContaining(euStore, value)).as("only ciphertext").isEmpty();

            // a model trained on EU data serves only in the EU
            new ServingFixtures(api, fx).deployed(eu, "risk", "clinic", csv, "readmitted",
                    List.of("age", "prior_admissions", "glucose"), Map.of());
            Fixtures.User engineer = fx.member(eu, "ml-engineer");
            Api.Response moved = api.put("/api/v1/tenants/" + eu + "/deployments/risk-us", fx.token(engineer),
                    Map.of("model", "risk", "version", 1, "region", "us-east-1"));
            assertThat(moved.status()).as(moved.toString()).isEqualTo(403);
            assertThat(moved.code()).isEqualTo("policy.denied");
            assertThat(moved.json().path("detail").asString()).contains("residency-deploy");
            assertThat(api.get("/api/v1/tenants/" + eu + "/deployments/risk", fx.token(engineer)).json().path("region")
                    .asString()).isEqualTo("eu-west-1");
            assertThat(keysUnder(euStore, eu).stream().filter(p -> p.toString().contains("/model/")).toList())
                    .as("the model is stored in the EU too").isNotEmpty();
        }
    }

    /** Files under {@code root} whose path holds {@code tenants/<tenant>/}. */
    private static List<Path> keysUnder(Path root, String tenant) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().replace('\\', '/').contains("tenants/" + tenant + "/")).toList();
        }
    }

    private ConfigurableApplicationContext start(String bucket) {
        Map<String, String> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("citadel.data-dir", dataDir.toString());
        properties.put("citadel.keys.master-passphrase", "residency-test-master-passphrase");
        properties.put("citadel.storage.regions.eu-west-1.backend", "filesystem");
        properties.put("citadel.storage.regions.eu-west-1.directory", euStore.toString());
        properties.put("citadel.storage.regions.us-east-1.backend", "s3");
        properties.put("citadel.storage.regions.us-east-1.s3.endpoint", S3ProxyServer.get().endpoint());
        properties.put("citadel.storage.regions.us-east-1.s3.bucket", bucket);
        properties.put("citadel.storage.regions.us-east-1.s3.access-key", S3ProxyServer.ACCESS_KEY);
        properties.put("citadel.storage.regions.us-east-1.s3.secret-key", S3ProxyServer.SECRET_KEY);
        properties.put("citadel.storage.regions.us-east-1.s3.create-bucket", "true");
        properties.put("citadel.storage.regions.us-east-1.s3.path-style", "true");
        properties.put("citadel.auth.bootstrap.admin-user", IntegrationTest.ADMIN_USER);
        properties.put("citadel.auth.bootstrap.admin-password", IntegrationTest.ADMIN_PASSWORD);
        properties.put("citadel.auth.bootstrap.admin-totp-secret", IntegrationTest.ADMIN_TOTP_SECRET);
        return ScenarioServer.start(properties);
    }
}
