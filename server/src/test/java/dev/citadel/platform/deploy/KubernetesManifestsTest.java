package dev.citadel.platform.deploy;

import static dev.citadel.platform.deploy.KubernetesManifests.named;
import static dev.citadel.platform.deploy.KubernetesManifests.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The Kubernetes base in {@code deploy/kubernetes} holds the security posture docs/operations.md
 * promises: non-root, read-only root filesystem, no capabilities, seccomp, resources, probes on
 * the actuator's public health groups, ingress only to the API port, egress only to named
 * destinations, secrets only by reference, and configuration under names Citadel reads. No
 * cluster is needed: the manifests are parsed into Kubernetes' typed model.
 */
class KubernetesManifestsTest {

    static final String API = "citadel-api";
    static final String WORKER = "citadel-worker";
    static final int API_PORT = 8443;

    /** The health groups the server exposes without credentials (ProbePathsTest calls them). */
    static final Set<String> PROBE_PATHS = Set.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");


    /** Variables the image and the JVM read that are not Citadel properties. */
    private static final Set<String> OTHER_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "ORT_DISABLE_TELEMETRY", "ORT_TELEMETRY_DISABLED");

    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|PASSPHRASE|SECRET|_PIN|ACCESS_KEY|TOTP).*");

    private final List<HasMetadata> base = KubernetesManifests.base();

    @Test
    void everyManifestParsesAsKubernetesKindsWithoutUnknownFields() {
        List<Path> files = KubernetesManifests.yamlFiles(KubernetesManifests.ROOT);
        assertThat(files).isNotEmpty();
        files.forEach(KubernetesManifests::read); // throws on an unknown kind or field
        assertThat(base).extracting(HasMetadata::getKind).contains("Deployment", "Service", "PodDisruptionBudget",
                "HorizontalPodAutoscaler", "NetworkPolicy", "ServiceAccount", "ConfigMap", "PersistentVolumeClaim");
    }

    @Test
    void aMisspelledFieldIsReportedNotIgnored(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - name: c
                      image: i
                      securityContext: {readOnlyRootFileSystem: true}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KubernetesManifests.read(typo))
                .hasMessageContaining("readOnlyRootFileSystem");
    }

    @Test
    void kustomizationsListEveryManifestBesideThemAndNothingMissing() {
        for (Path file : KubernetesManifests.yamlFiles(KubernetesManifests.ROOT)) {
            for (JsonNode kustomization : KubernetesManifests.read(file).kustomizations()) {
                Path dir = file.getParent();
                Set<String> listed = new TreeSet<>();
                kustomization.path("resources").forEach(r -> listed.add(r.asText()));
                kustomization.path("patches").forEach(p -> listed.add(p.path("path").asText()));
                listed.forEach(entry -> assertThat(dir.resolve(entry)).as(file + " lists " + entry).exists());
                try (Stream<Path> siblings = Files.list(dir)) {
                    siblings.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
                            .forEach(p -> assertThat(listed).as(file + " omits " + p.getFileName()).contains(p.getFileName().toString()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    @Test
    void theApiAndTheWorkerAreSeparateDeploymentsOfOneImage() {
        Deployment api = named(base, Deployment.class, API);
        Deployment worker = named(base, Deployment.class, WORKER);
        assertThat(api.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(container(api).getImage()).isEqualTo(container(worker).getImage());
        assertThat(env(api)).containsEntry("CITADEL_JOBS_ENABLED", "false").containsEntry("CITADEL_ROLE", "api");
        assertThat(env(worker)).containsEntry("CITADEL_JOBS_ENABLED", "true").containsEntry("CITADEL_ROLE", "worker");
        for (Deployment d : List.of(api, worker)) {
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        }
        assertThat(api.getSpec().getSelector().getMatchLabels()).isNotEqualTo(worker.getSpec().getSelector().getMatchLabels());
    }

    @ParameterizedTest
    @ValueSource(strings = {API, WORKER})
    void podsRunNonRootWithAReadOnlyRootFilesystemNoCapabilitiesAndSeccomp(String name) {
        PodSpec pod = named(base, Deployment.class, name).getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        for (Container c : pod.getContainers()) {
            var sc = c.getSecurityContext();
            assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(sc.getPrivileged()).as(c.getName()).isNotEqualTo(Boolean.TRUE);
            assertThat(sc.getRunAsUser() == null || sc.getRunAsUser() != 0).as(c.getName() + " runs as root").isTrue();
            assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(sc.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
            assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(c.getName()).containsKeys("cpu", "memory");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {API, WORKER})
    void citadelWritesOnlyToMountedVolumesItsDataDirectoryAndTmp(String name) {
        PodSpec pod = named(base, Deployment.class, name).getSpec().getTemplate().getSpec();
        Container c = container(named(base, Deployment.class, name));
        Map<String, Volume> volumes = new java.util.HashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        Set<String> writable = new HashSet<>();
        for (VolumeMount mount : c.getVolumeMounts()) {
            Volume volume = volumes.get(mount.getName());
            assertThat(volume).as("volume of " + mount.getMountPath()).isNotNull();
            if (Boolean.TRUE.equals(mount.getReadOnly())) {
                continue;
            }
            assertThat(volume.getEmptyDir() != null || volume.getPersistentVolumeClaim() != null)
                    .as(mount.getMountPath() + " is writable, so it must be an emptyDir or a volume claim").isTrue();
            writable.add(mount.getMountPath());
        }
        assertThat(writable).contains(env(c).get("CITADEL_DATA_DIR"), "/tmp");
        // files Citadel reads secrets or certificates from lie on read-only secret or config volumes
        for (String variable : List.of("CITADEL_MASTER_PASSPHRASE_FILE", "CITADEL_TLS_CERTIFICATE", "CITADEL_TLS_PRIVATE_KEY")) {
            String file = env(c).get(variable);
            if (file == null) {
                continue;
            }
            VolumeMount mount = c.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(variable + "=" + file + " is on no volume"));
            assertThat(mount.getReadOnly()).as(variable).isTrue();
            assertThat(volumes.get(mount.getName()).getSecret()).as(variable + " comes from a Secret").isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {API, WORKER})
    void probesAskTheActuatorHealthGroupsOnTheDeclaredPortOverHttps(String name) {
        Container c = container(named(base, Deployment.class, name));
        Set<String> ports = new HashSet<>();
        c.getPorts().forEach(p -> ports.add(p.getName()));
        assertThat(c.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(API_PORT);
        assertThat(c.getLivenessProbe()).isNotNull();
        assertThat(c.getReadinessProbe()).isNotNull();
        assertThat(probe(c.getLivenessProbe()).getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(probe(c.getReadinessProbe()).getPath()).isEqualTo("/actuator/health/readiness");
        for (Probe p : Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()).filter(java.util.Objects::nonNull).toList()) {
            assertThat(PROBE_PATHS).contains(probe(p).getPath());
            assertThat(probe(p).getScheme()).isEqualTo("HTTPS");
            assertThat(ports).contains(probe(p).getPort().getStrVal());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {API, WORKER})
    void environmentNamesAreCitadelPropertiesAndSecretsComeOnlyFromSecrets(String name) {
        Container c = container(named(base, Deployment.class, name));
        Set<String> known = knownVariables();
        Set<String> names = new TreeSet<>();
        for (EnvVar variable : c.getEnv()) {
            names.add(variable.getName());
            if (SECRET_NAME.matcher(variable.getName()).matches() && !variable.getName().endsWith("_FILE")) {
                assertThat(variable.getValue()).as(variable.getName() + " has a literal value").isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef()).as(variable.getName()).isNotNull();
            }
        }
        ConfigMap config = named(base, ConfigMap.class, "citadel-config");
        c.getEnvFrom().forEach(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("citadel-config"));
        names.addAll(config.getData().keySet());
        config.getData().keySet().forEach(key -> assertThat(SECRET_NAME.matcher(key).matches())
                .as(key + " is a secret in a ConfigMap").isFalse());
        assertThat(names).allSatisfy(n -> assertThat(known).as(n + " is not a variable Citadel reads").contains(n));
    }

    @Test
    void theBaseShipsNoSecretValues() {
        assertThat(ofKind(base, Secret.class)).isEmpty();
    }

    @Test
    void ingressReachesOnlyTheApiPortOfTheApiPods() {
        List<NetworkPolicy> policies = ofKind(base, NetworkPolicy.class);
        NetworkPolicy deny = named(base, NetworkPolicy.class, "citadel-default-deny");
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "citadel")
                .hasSize(1);
        for (NetworkPolicy policy : policies) {
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                        .as(policy.getMetadata().getName()).containsEntry("app.kubernetes.io/component", "api");
                assertThat(rule.getPorts()).as(policy.getMetadata().getName()).isNotEmpty()
                        .allSatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(API_PORT));
            }
        }
        Service service = ofKind(base, Service.class).getFirst();
        assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "api");
        assertThat(service.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("https"));
    }

    @Test
    void egressGoesOnlyToDnsPostgresqlTheObjectStoreTheKmsAndTheOidcProviderOnNamedPorts() {
        Set<String> egressPolicies = new TreeSet<>();
        for (NetworkPolicy policy : ofKind(base, NetworkPolicy.class)) {
            for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
                egressPolicies.add(policy.getMetadata().getName());
                assertThat(rule.getPorts()).as(policy.getMetadata().getName() + " allows every port").isNotEmpty();
                assertThat(rule.getTo()).as(policy.getMetadata().getName() + " allows every destination").isNotEmpty();
                for (NetworkPolicyPeer peer : rule.getTo()) {
                    if (peer.getIpBlock() != null) {
                        assertThat(peer.getIpBlock().getCidr()).as(policy.getMetadata().getName())
                                .doesNotEndWith("/0").isNotEqualTo("0.0.0.0/0");
                    } else {
                        assertThat(peer.getPodSelector().getMatchLabels()).as(policy.getMetadata().getName())
                                .containsEntry("k8s-app", "kube-dns");
                        assertThat(rule.getPorts()).extracting(NetworkPolicyPort::getPort)
                                .allSatisfy(p -> assertThat(p.getIntVal()).isEqualTo(53));
                    }
                }
            }
        }
        assertThat(egressPolicies).containsExactlyInAnyOrder("citadel-egress-dns", "citadel-egress-postgresql",
                "citadel-egress-object-store", "citadel-egress-kms", "citadel-egress-oidc");
        assertThat(named(base, NetworkPolicy.class, "citadel-egress-oidc").getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "api");
    }

    @Test
    void disruptionBudgetsAndTheAutoscalerSelectTheDeployments() {
        for (String name : List.of(API, WORKER)) {
            PodDisruptionBudget pdb = named(base, PodDisruptionBudget.class, name);
            assertThat(named(base, Deployment.class, name).getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        }
        assertThat(named(base, PodDisruptionBudget.class, API).getSpec().getMinAvailable().getIntVal()).isPositive();
        HorizontalPodAutoscaler hpa = named(base, HorizontalPodAutoscaler.class, API);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(API);
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(named(base, PodDisruptionBudget.class, API)
                .getSpec().getMinAvailable().getIntVal() + 1);
        assertThat(hpa.getSpec().getMetrics()).anySatisfy(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));

        Path overlay = KubernetesManifests.ROOT.resolve("components/request-rate-autoscaling/horizontalpodautoscaler.yaml");
        HorizontalPodAutoscaler requestRate = (HorizontalPodAutoscaler) KubernetesManifests.read(overlay).resources().getFirst();
        assertThat(requestRate.getSpec().getMetrics()).extracting(m -> m.getType()).containsExactly("Resource", "Pods");
    }

    @Test
    void theFirstStartOverlayRunsExactlyOnePodSoOnlyOneCreatesTheKeyring() {
        List<HasMetadata> patches = KubernetesManifests.read(KubernetesManifests.ROOT.resolve("components/first-start/single-pod.yaml"))
                .resources();
        assertThat(named(patches, Deployment.class, API).getSpec().getReplicas()).isEqualTo(1);
        assertThat(named(patches, Deployment.class, WORKER).getSpec().getReplicas()).isZero();
        HorizontalPodAutoscaler hpa = named(patches, HorizontalPodAutoscaler.class, API);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(1);
    }

    /** CITADEL_* names in docs/configuration.md and application.yml, where every property is listed. */
    static Set<String> knownVariables() {
        Set<String> known = new HashSet<>(OTHER_VARIABLES);
        for (Path source : List.of(Path.of("..", "docs", "configuration.md"), Path.of("src", "main", "resources", "application.yml"))) {
            try {
                Matcher m = Pattern.compile("CITADEL_[A-Z0-9_]+").matcher(Files.readString(source));
                while (m.find()) {
                    known.add(m.group());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return known;
    }

    private static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.getFirst();
    }

    private static HTTPGetAction probe(Probe probe) {
        assertThat(probe.getHttpGet()).isNotNull();
        return probe.getHttpGet();
    }

    private static Map<String, String> env(Deployment deployment) {
        return env(container(deployment));
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> values = new java.util.HashMap<>();
        c.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> values.put(e.getName(), e.getValue()));
        return values;
    }
}
