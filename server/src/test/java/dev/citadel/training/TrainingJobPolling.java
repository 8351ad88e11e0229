package dev.citadel.training;

import java.time.Duration;
import java.util.List;

import dev.citadel.support.Api;
import tools.jackson.databind.JsonNode;

/** Waits for a training job to reach a final state, polling its resource (no sleeps). */
final class TrainingJobPolling {

    private TrainingJobPolling() {}

    static JsonNode untilFinished(Api api, String tenantBase, String id, String token) {
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = api.get(tenantBase + "/training-jobs/" + id, token).json();
            return List.of("succeeded", "failed", "cancelled").contains(last[0].path("state").asString());
        });
        return last[0];
    }
}
