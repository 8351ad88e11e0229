package dev.citadel.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The signed bytes of a manifest are a contract with every offline verifier: keys sorted at every
 * level, no white space, absent values left out, UTF-8. Changing this format breaks signatures
 * already handed out, so the exact bytes are pinned here.
 */
class ModelManifestGoldenTest {

    @Test
    void theCanonicalFormIsPinned() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rocAuc", 0.91);
        metrics.put("accuracy", 0.85);
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("job", Map.of("startedBy", "user:ä", "id", "j1"));
        lineage.put("dataset", Map.of("version", 3, "name", "admissions"));
        ModelManifest manifest = new ModelManifest(ModelManifest.SCHEMA, "clinic", "readmission", 2, ModelManifest.TRAINED,
                ModelManifest.ONNX, new ModelManifest.Artifact("ab".repeat(32), 1234), "classification",
                "logistic-regression",
                new InputSchema(List.of(new InputSchema.Feature("age", "integer", null, 50.5, 10.0, true, null, null, null)),
                        new InputSchema.Target("readmitted", "boolean", List.of("false", "true")), List.of("age")),
                List.of(new ModelManifest.Transform("ssn", "tokenize", "us-ssn")), metrics, lineage);

        assertThat(new String(manifest.canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"algorithm\":\"logistic-regression\",\"artifact\":{\"bytes\":1234,\"sha256\":\"" + "ab".repeat(32) + "\"},"
                + "\"format\":\"onnx\",\"inputSchema\":{\"features\":[{\"mean\":50.5,\"name\":\"age\",\"standardized\":true,"
                + "\"std\":10.0,\"type\":\"integer\"}],\"target\":{\"labels\":[\"false\",\"true\"],\"name\":\"readmitted\","
                + "\"type\":\"boolean\"},\"vector\":[\"age\"]},"
                + "\"lineage\":{\"dataset\":{\"name\":\"admissions\",\"version\":3},\"job\":{\"id\":\"j1\",\"startedBy\":\"user:ä\"}},"
                + "\"metrics\":{\"accuracy\":0.85,\"rocAuc\":0.91},\"model\":\"readmission\",\"origin\":\"trained\","
                + "\"schema\":\"citadel.model-manifest/v1\",\"task\":\"classification\",\"tenant\":\"clinic\","
                + "\"transforms\":[{\"action\":\"tokenize\",\"column\":\"ssn\",\"kind\":\"us-ssn\"}],\"version\":2}");
    }

    @Test
    void parsingAndReSerialisingGivesTheSameBytes() {
        String canonical = "{\"algorithm\":\"onnx\",\"artifact\":{\"bytes\":1,\"sha256\":\"00\"},\"format\":\"onnx\","
                + "\"lineage\":{},\"metrics\":{},\"model\":\"m\",\"origin\":\"imported\",\"schema\":\"citadel.model-manifest/v1\","
                + "\"tenant\":\"t\",\"transforms\":[],\"version\":1}";
        assertThat(new String(ModelManifest.parse(canonical).canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(canonical);
    }
}
