package dev.citadel.platform.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/**
 * The Kubernetes manifests in {@code deploy/kubernetes}, parsed into fabric8's typed model: a field
 * the Kubernetes API does not know (a typo such as {@code readOnlyRootFileSystem}) is reported, not
 * silently kept, so the checks on the typed model see what a cluster would see.
 */
final class KubernetesManifests {

    static final Path ROOT = Path.of("..", "deploy", "kubernetes");
    static final Path BASE = ROOT.resolve("base");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private KubernetesManifests() {}

    /** One manifest file's documents: Kubernetes resources, or a Kustomization as a tree. */
    record ManifestFile(Path path, List<HasMetadata> resources, List<JsonNode> kustomizations) {}

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ManifestFile read(Path file) {
        List<HasMetadata> resources = new ArrayList<>();
        List<JsonNode> kustomizations = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                if (document.path("apiVersion").asText().startsWith("kustomize.config.k8s.io/")) {
                    kustomizations.add(document);
                    continue;
                }
                resources.add(toResource(file, (ObjectNode) document));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        return new ManifestFile(file, resources, kustomizations);
    }

    /** Every Kubernetes resource of the base, in file order. */
    static List<HasMetadata> base() {
        return yamlFiles(BASE).stream().flatMap(f -> read(f).resources().stream()).toList();
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> resources, Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> resources, Class<T> kind, String name) {
        return ofKind(resources, kind).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
    }

    private static HasMetadata toResource(Path file, ObjectNode document) throws IOException {
        KubernetesResource parsed = YAML.treeToValue(document, KubernetesResource.class);
        if (!(parsed instanceof HasMetadata resource) || resource.getClass().getSimpleName().equals("GenericKubernetesResource")) {
            throw new AssertionError(file + ": " + document.path("apiVersion").asText() + " "
                    + document.path("kind").asText() + " is not a Kubernetes kind this check knows");
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(resource, resource.getKind() + " " + resource.getMetadata().getName(), unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError(file + ": fields the Kubernetes API does not have: " + unknown);
        }
        return resource;
    }

    /** fabric8's model keeps fields it does not know in additionalProperties; any there is an error. */
    private static void unknownFields(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + " " + extra.keySet());
                }
                continue;
            }
            unknownFields(child, path + "." + getter.getName().substring(3), unknown);
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}
