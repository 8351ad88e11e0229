package dev.citadel.platform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The image's Dockerfile agrees with the Kubernetes manifests: the same non-root user, data
 * directory and port, the launcher of the layered jar, and the SBOM copied where scanners find it.
 */
class ContainerImageTest {

    private static final Path DOCKERFILE = Path.of("..", "deploy", "image", "Dockerfile");

    @Test
    void theImageRunsAsTheManifestsNonRootUserWithTheirDataDirectoryAndPort() throws IOException {
        List<String> finalStage = finalStage();
        String user = instruction(finalStage, "USER").getLast();
        Deployment api = KubernetesManifests.named(KubernetesManifests.base(), Deployment.class, KubernetesManifestsTest.API);
        var pod = api.getSpec().getTemplate().getSpec();
        assertThat(user).isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup());
        assertThat(String.join("\n", instruction(finalStage, "ENV"))).contains("CITADEL_DATA_DIR=/var/lib/citadel")
                .contains("ORT_DISABLE_TELEMETRY=1");
        String dataDir = pod.getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals("CITADEL_DATA_DIR")).findFirst().orElseThrow().getValue();
        assertThat(dataDir).isEqualTo("/var/lib/citadel");
        assertThat(instruction(finalStage, "EXPOSE")).containsExactly(Integer.toString(KubernetesManifestsTest.API_PORT));
        assertThat(instruction(finalStage, "ENTRYPOINT").getLast()).contains("org.springframework.boot.loader.launch.JarLauncher")
                .contains("-Djava.io.tmpdir=/tmp");
    }

    @Test
    void theImageCarriesTheSbomAndTakesNothingFromTheNetworkButTheBaseAndDebianPackages() throws IOException {
        List<String> lines = logicalLines();
        assertThat(lines).noneMatch(l -> l.startsWith("ADD "));
        assertThat(instruction(finalStage(), "COPY")).anyMatch(c -> c.contains("META-INF/sbom/application.cdx.json"));
        assertThat(lines).filteredOn(l -> l.startsWith("FROM ")).allMatch(l -> l.startsWith("FROM ${JAVA_IMAGE}"));
    }

    /** Instructions joined across backslash continuations, comments dropped. */
    private static List<String> logicalLines() throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            lines.add(current.append(line).toString().strip());
            current.setLength(0);
        }
        return lines.stream().filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> finalStage() throws IOException {
        List<String> lines = logicalLines();
        int from = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                from = i;
            }
        }
        return lines.subList(from, lines.size());
    }

    private static List<String> instruction(List<String> stage, String keyword) {
        return stage.stream().filter(l -> l.startsWith(keyword + " ")).map(l -> l.substring(keyword.length() + 1).strip()).toList();
    }
}
