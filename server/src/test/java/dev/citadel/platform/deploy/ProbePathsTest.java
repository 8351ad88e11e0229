package dev.citadel.platform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.citadel.support.IntegrationTest;

/** The health groups the Kubernetes probes ask for answer without credentials, on the API port. */
class ProbePathsTest extends IntegrationTest {

    @Test
    void everyProbePathOfTheManifestsAnswersUpWithoutCredentials() {
        for (String path : KubernetesManifestsTest.PROBE_PATHS) {
            var response = api.get(path, null);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.json().path("status").asString()).as(path).isEqualTo("UP");
        }
    }
}
