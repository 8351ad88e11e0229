package dev.citadel.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI 3.1 document: operator-only, every operation declares its problem responses, every
 * input is bounded, and docs/openapi.json is the document the server serves (regenerate it with
 * {@code -Dcitadel.openapi.write=true}).
 */
class OpenApiTest extends IntegrationTest {

    private static final Path COMMITTED = Path.of("..", "docs", "openapi.json");

    @Test
    void onlyOperatorsMayReadTheDocument() {
        assertThat(api.get("/v3/api-docs", null).status()).isEqualTo(401);
        assertThat(api.get("/v3/api-docs", fx.token(fx.createUser("curious"))).status()).isEqualTo(403);
        Api.Response document = api.get("/v3/api-docs", fx.adminToken());
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.json().path("openapi").asString()).startsWith("3.1");
    }

    @Test
    void everyOperationDeclaresItsProblemResponses() {
        List<String> missing = new ArrayList<>();
        forEachOperation((path, method, operation) -> {
            JsonNode responses = operation.path("responses");
            boolean open = operation.has("security") && operation.path("security").isEmpty();
            for (String status : open ? List.of("400", "401", "429") : List.of("400", "401", "403", "404", "429")) {
                if (!responses.has(status)) {
                    missing.add(method + " " + path + " lacks " + status);
                }
            }
            if (path.contains("{tenant}") && !responses.has("404")) {
                missing.add(method + " " + path + " lacks 404");
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void everyInputStringAndArrayIsBounded() {
        JsonNode doc = document();
        List<String> unbounded = new ArrayList<>();
        forEachOperation((path, method, operation) -> {
            for (JsonNode parameter : operation.path("parameters")) {
                checkBounded(doc, parameter.path("schema"), method + " " + path + " parameter " + parameter.path("name").asString(),
                        unbounded);
            }
            for (JsonNode media : operation.path("requestBody").path("content")) {
                checkBounded(doc, media.path("schema"), method + " " + path + " body", unbounded);
            }
        });
        assertThat(unbounded).isEmpty();
    }

    @Test
    void theCommittedDocumentIsTheServedDocument() throws Exception {
        JsonNode served = document();
        if (Boolean.getBoolean("citadel.openapi.write")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
        }
        assertThat(Files.exists(COMMITTED)).as("docs/openapi.json exists (run with -Dcitadel.openapi.write=true)").isTrue();
        assertThat(Api.JSON.readTree(Files.readString(COMMITTED)))
                .as("docs/openapi.json is out of date: run the OpenApiTest with -Dcitadel.openapi.write=true")
                .isEqualTo(served);
    }

    private void checkBounded(JsonNode doc, JsonNode schema, String where, List<String> unbounded) {
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asString().replace("#/components/schemas/", "");
            checkBounded(doc, doc.path("components").path("schemas").path(name), where, unbounded);
            return;
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asString() : schema.path("type").asString("");
        switch (type) {
            case "string" -> {
                if (!schema.has("maxLength") && !schema.has("enum") && !schema.has("format")) {
                    unbounded.add(where + " (string without maxLength)");
                }
            }
            case "array" -> {
                if (!schema.has("maxItems")) {
                    unbounded.add(where + " (array without maxItems)");
                }
                checkBounded(doc, schema.path("items"), where + "[]", unbounded);
            }
            case "integer" -> {
                if (where.contains("parameter") && !schema.has("maximum")) {
                    unbounded.add(where + " (integer without maximum)");
                }
            }
            case "object" -> {
                for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                    checkBounded(doc, property.getValue(), where + "." + property.getKey(), unbounded);
                }
            }
            default -> {
            }
        }
    }

    interface OperationVisitor {
        void visit(String path, String method, JsonNode operation);
    }

    private void forEachOperation(OperationVisitor visitor) {
        JsonNode paths = document().path("paths");
        assertThat(paths.size()).isGreaterThan(10);
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                visitor.visit(path.getKey(), method.getKey(), method.getValue());
            }
        }
    }

    private JsonNode document() {
        return api.get("/v3/api-docs", fx.adminToken()).json();
    }
}
