package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;

/**
 * The logs of a whole scenario — upload of records full of identifiers, training, approval,
 * deployment, scoring (good and malformed), a failed sign-in, a content download — are structured
 * JSON lines that name the request, tenant and principal, and contain none of the identifiers,
 * passwords or tokens that went through the server.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogHygieneTest extends IntegrationTest {

    @Test
    void aFullScenarioLogsNoIdentifierPasswordOrToken(CapturedOutput output) {
        String tenant = fx.createTenant("loghygiene");
        Fixtures.User scientist = fx.member(tenant, "data-scientist");
        Fixtures.User engineer = fx.member(tenant, "ml-engineer");
        Fixtures.User reviewer = fx.member(tenant, "ml-engineer");
        String base = "/api/v1/tenants/" + tenant;
        String csv = ClinicalRecords.csv(300, 77);
        List<Map<String, String>> rows = rows(csv);

        assertThat(api.postRaw(base + "/datasets/admissions/versions", fx.token(scientist), "text/csv", csv).status())
                .isEqualTo(201);
        assertThat(api.getBytes(base + "/datasets/admissions/versions/1/content", fx.token(scientist))).isNotEmpty();
        Api.Response job = api.post(base + "/training-jobs", fx.token(engineer), Map.of("model", "readmit", "dataset",
                "admissions", "version", 1, "task", "classification", "algorithm", "logistic-regression",
                "target", "readmitted", "features", List.of("age", "sex", "ward", "glucose", "bmi")));
        assertThat(job.status()).as(job.toString()).isEqualTo(202);
        String jobId = job.json().path("id").asString();
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                List.of("succeeded", "failed").contains(api.get(base + "/training-jobs/" + jobId, fx.token(engineer))
                        .json().path("state").asString()));
        assertThat(api.post(base + "/models/readmit/versions/1/approval", fx.token(reviewer), Map.of("reason", "ok"))
                .status()).isEqualTo(200);
        assertThat(api.put(base + "/deployments/readmit", fx.token(engineer), Map.of("model", "readmit", "version", 1))
                .status()).isEqualTo(200);

        List<Map<String, Object>> instances = new ArrayList<>();
        for (Map<String, String> row : rows.subList(0, 5)) {
            Map<String, Object> instance = new HashMap<>();
            instance.put("age", number(row.get("age")));
            instance.put("sex", row.get("sex"));
            instance.put("ward", row.get("ward"));
            instance.put("glucose", number(row.get("glucose")));
            instance.put("bmi", number(row.get("bmi")));
            instances.add(instance);
        }
        String token = fx.token(engineer);
        assertThat(api.post(base + "/deployments/readmit/predictions", token, Map.of("instances", instances)).status())
                .isEqualTo(200);
        Map<String, Object> leaky = new HashMap<>(instances.getFirst());
        leaky.put("ward", rows.get(7).get("email"));
        leaky.put("full_name", rows.get(8).get("full_name"));
        assertThat(api.post(base + "/deployments/readmit/predictions", token, Map.of("instances", List.of(leaky)))
                .status()).isEqualTo(400);
        String wrongPassword = "Not-" + rows.get(9).get("ssn") + "-the-password";
        assertThat(api.post("/api/v1/auth/login", null, Map.of("username", scientist.username(),
                "password", wrongPassword)).status()).isEqualTo(401);

        String logs = output.getAll();
        for (Map<String, String> row : rows) {
            for (String column : List.of("full_name", "ssn", "email")) {
                assertThat(logs).as("the logs contain a %s from the upload", column).doesNotContain(row.get(column));
            }
        }
        assertThat(logs).doesNotContain(wrongPassword).doesNotContain(scientist.password()).doesNotContain(token);

        List<JsonNode> lines = logs.lines().filter(l -> l.startsWith("{")).map(l -> Api.JSON.readTree(l)).toList();
        assertThat(lines).as("structured log lines").isNotEmpty();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("message").asString()).contains("job " + jobId);
            assertThat(line.path("tenant").asString()).isEqualTo(tenant);
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("message").asString()).contains("loaded model readmit v1");
            assertThat(line.path("tenant").asString()).isEqualTo(tenant);
            assertThat(line.path("principal").asString()).startsWith("user:");
            assertThat(line.path("requestId").asString()).isNotBlank();
        });
    }

    private static Double number(String cell) {
        return cell == null || cell.isEmpty() ? null : Double.valueOf(cell);
    }

    private static List<Map<String, String>> rows(String csv) {
        List<String> lines = csv.lines().toList();
        String[] header = lines.getFirst().split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }
}
