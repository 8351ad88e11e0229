package dev.citadel.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;

/**
 * What serving tests need in a tenant: a small logistic-regression model (by default over age, prior
 * admissions and glucose), trained, approved by a second engineer and deployed; and predictor
 * service accounts. Shared with the monitoring tests, which watch what serving sees.
 */
public final class ServingFixtures {

    private final Api api;
    private final Fixtures fx;

    public ServingFixtures(Api api, Fixtures fx) {
        this.api = api;
        this.fx = fx;
    }

    /** Deploys model {@code name} as deployment {@code name} with extra deployment settings. */
    void deployed(String tenant, String name, Map<String, Object> settings) {
        deployed(tenant, name, "d", ClinicalRecords.csv(150, 8), "readmitted", List.of("age", "prior_admissions", "glucose"),
                settings);
    }

    /**
     * Uploads {@code csv} as version 1 of {@code dataset}, trains model {@code name} on {@code features}
     * to predict {@code target}, has a second engineer approve it and deploys it as {@code name}.
     */
    public void deployed(String tenant, String name, String dataset, String csv, String target, List<String> features,
            Map<String, Object> settings) {
        String base = "/api/v1/tenants/" + tenant;
        Fixtures.User scientist = fx.member(tenant, "data-scientist");
        Fixtures.User engineer = fx.member(tenant, "ml-engineer");
        Api.Response uploaded = api.postRaw(base + "/datasets/" + dataset + "/versions", fx.token(scientist), "text/csv", csv);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        Api.Response job = api.post(base + "/training-jobs", fx.token(scientist), Map.of("model", name, "dataset", dataset,
                "version", 1, "task", "classification", "algorithm", "logistic-regression", "target", target,
                "features", features));
        assertThat(job.status()).as(job.toString()).isEqualTo(202);
        String id = job.json().path("id").asString();
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode state = api.get(base + "/training-jobs/" + id, fx.token(scientist)).json();
            return state.path("state").asString().equals("succeeded");
        });
        assertThat(api.post(base + "/models/" + name + "/versions/1/approval", fx.token(engineer),
                Map.of("reason", "ok")).status()).isEqualTo(200);
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.put("model", name);
        body.put("version", 1);
        Api.Response deployed = api.put(base + "/deployments/" + name, fx.token(engineer), body);
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(200);
    }

    /** A new predictor service account's access token. */
    public String predictor(String tenant, String name) {
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Api.Response account = api.post("/api/v1/tenants/" + tenant + "/service-accounts", fx.token(admin),
                Api.json("name", name, "roles", List.of("predictor")));
        assertThat(account.status()).as(account.toString()).isEqualTo(201);
        return api.postForm("/api/v1/auth/token", Map.of("grant_type", "client_credentials",
                "client_id", account.json().path("clientId").asString(),
                "client_secret", account.json().path("clientSecret").asString()), Map.of())
                .json().path("access_token").asString();
    }

    public Api.Response predict(String tenant, String deployment, String token, List<Map<String, Object>> instances) {
        return api.post("/api/v1/tenants/" + tenant + "/deployments/" + deployment + "/predictions", token,
                Map.of("instances", instances));
    }
}
