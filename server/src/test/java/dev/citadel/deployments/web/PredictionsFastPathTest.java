package dev.citadel.deployments.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.deployments.ServingFixtures;
import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The predictions fast path answers every request exactly as the controller path does: the same
 * request is sent once as the filter takes it and once with an {@code Accept} header it passes on
 * to Spring MVC (which negotiates the same JSON), and the two answers must match — successes,
 * malformed and invalid bodies, unknown deployments and tenants, and another tenant's principal.
 */
class PredictionsFastPathTest extends IntegrationTest {

    @Autowired
    PredictionsFastPath fastPath;

    @Test
    void theFastPathAnswersExactlyAsTheControllerPath() {
        String tenant = fx.createTenant("fast-path");
        ServingFixtures serving = new ServingFixtures(api, fx);
        serving.deployed(tenant, "risk", "d", ClinicalRecords.csv(150, 8), "readmitted",
                List.of("age", "prior_admissions", "glucose"), Map.of("output", "rounded-scores", "precision", 3));
        String predictor = serving.predictor(tenant, "app");
        String outsider = serving.predictor(fx.createTenant("fast-path-other"), "app");
        String path = "/api/v1/tenants/" + tenant + "/deployments/risk/predictions";
        String valid = "{\"instances\": [{\"age\": 61, \"prior_admissions\": 2, \"glucose\": 140.5},"
                + " {\"age\": 33, \"prior_admissions\": 0, \"glucose\": 90}]}";
        String tooMany = "{\"instances\": [" + String.join(",", java.util.Collections.nCopies(1001, "{}")) + "]}";
        record Case(String name, String path, String token, String body) {}
        List<Case> cases = List.of(
                new Case("valid", path, predictor, valid),
                new Case("malformed JSON", path, predictor, "{\"instances\": ["),
                new Case("empty body", path, predictor, ""),
                new Case("null body", path, predictor, "null"),
                new Case("instances not a list", path, predictor, "{\"instances\": 7}"),
                new Case("an instance not an object", path, predictor, "{\"instances\": [7]}"),
                new Case("no instances", path, predictor, "{}"),
                new Case("too many instances", path, predictor, tooMany),
                new Case("an invalid instance", path, predictor, "{\"instances\": [{\"age\": \"old\"}]}"),
                new Case("no such deployment", "/api/v1/tenants/" + tenant + "/deployments/none/predictions", predictor,
                        valid),
                new Case("another tenant's principal", path, outsider, valid),
                new Case("no such tenant", "/api/v1/tenants/no-such-tenant/deployments/risk/predictions", predictor,
                        valid));
        for (Case c : cases) {
            long before = fastPath.answered();
            Api.Response fast = send(c.path(), c.token(), c.body(), "application/json");
            assertThat(fastPath.answered()).as(c.name() + ": answered by the fast path").isEqualTo(before + 1);
            Api.Response controller = send(c.path(), c.token(), c.body(), "application/json;q=1");
            assertThat(fastPath.answered()).as(c.name() + ": passed on to MVC").isEqualTo(before + 1);

            assertThat(fast.status()).as(c.name() + ": " + fast + " / " + controller).isEqualTo(controller.status());
            assertThat(fast.header("Content-Type")).as(c.name()).isEqualTo(controller.header("Content-Type"));
            assertThat(comparable(fast)).as(c.name()).isEqualTo(comparable(controller));
        }
        assertThat(send(path, outsider, valid, "application/json").status()).isEqualTo(404);
        assertThat(send(path, predictor, valid, "application/json").json().path("predictions")).hasSize(2);
    }

    @Test
    void requestsItDoesNotFullyUnderstandAreLeftToMvc() {
        long before = fastPath.answered();
        String token = fx.adminToken();
        String path = "/api/v1/tenants/nowhere/deployments/risk/predictions";
        assertThat(api.send(api.request(path, token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x"))).status()).isIn(404, 415);
        assertThat(send(path, token, "{}", "application/xml").status()).isIn(404, 406);
        assertThat(api.send(api.request(path, token).header("Content-Type", "application/json; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))).status()).isEqualTo(404);
        String tenant = fx.createTenant("fast-path-names");
        Api.Response longName = send("/api/v1/tenants/" + tenant + "/deployments/" + "n".repeat(65) + "/predictions",
                new ServingFixtures(api, fx).predictor(tenant, "app"), "{}", "application/json");
        assertThat(longName.code()).as(longName.toString()).isEqualTo("request.invalid");
        assertThat(fastPath.answered()).isEqualTo(before);
    }

    private Api.Response send(String path, String token, String body, String accept) {
        return api.send(api.request(path, token).header("Content-Type", "application/json").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The answer without what differs per request by design. */
    private static JsonNode comparable(Api.Response response) {
        JsonNode json = response.json();
        if (json instanceof ObjectNode object) {
            object.remove(List.of("requestId", "errorId", "instance"));
        }
        return json;
    }
}
