package dev.citadel.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The build's CycloneDX SBOM is packed with the server's classes, and lineage digests its component list. */
class BuildSbomTest {

    /** Where the build writes it; the jar (and so the image) packs target/classes as is. */
    static final Path BUILT_SBOM = Path.of("target", "classes", "META-INF", "sbom", "application.cdx.json");

    @Test
    void theServerClassesCarryTheServersOwnSbomWithItsMachineLearningLibraries() throws IOException {
        JsonNode bom = JsonMapper.builder().build().readTree(Files.readString(BUILT_SBOM));
        assertThat(bom.path("bomFormat").asString()).isEqualTo("CycloneDX");
        assertThat(bom.path("metadata").path("component").path("name").asString()).isEqualTo("citadel-server");
        assertThat(BuildSbom.current()).as("the SBOM on the class path").isNotNull();
        assertThat(BuildSbom.current().components()).isEqualTo(bom.path("components").size()).isGreaterThan(100);
        assertThat(BuildSbom.current().libraries()).containsOnlyKeys("tribuo", "xgboost4j", "onnxruntime");
    }

    @Test
    void theDigestIsTheSortedPackageUrlsAndIgnoresTheDocumentsSerialNumberAndOrder() {
        BuildSbom one = BuildSbom.parse(bom("urn:uuid:1", "pkg:maven/a/b@1?type=jar", "pkg:maven/org.tribuo/tribuo-core@4.3.2?type=jar"));
        BuildSbom other = BuildSbom.parse(bom("urn:uuid:2", "pkg:maven/org.tribuo/tribuo-core@4.3.2?type=jar", "pkg:maven/a/b@1?type=jar"));
        BuildSbom upgraded = BuildSbom.parse(bom("urn:uuid:1", "pkg:maven/a/b@2?type=jar", "pkg:maven/org.tribuo/tribuo-core@4.3.2?type=jar"));
        assertThat(one.componentsSha256()).isEqualTo(other.componentsSha256())
                .isEqualTo(sha256("pkg:maven/a/b@1?type=jar\npkg:maven/org.tribuo/tribuo-core@4.3.2?type=jar\n"));
        assertThat(upgraded.componentsSha256()).isNotEqualTo(one.componentsSha256());
        assertThat(one.libraries()).containsExactly(java.util.Map.entry("tribuo", "4.3.2"));
    }

    @Test
    void aDocumentThatIsNotCycloneDxIsRefused() {
        assertThatThrownBy(() -> BuildSbom.parse(new ByteArrayInputStream("{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** What docs/supply-chain.md tells a reader to compute with jq, done here independently of BuildSbom. */
    static String componentsDigestOfTheBuiltSbom() {
        try {
            JsonNode bom = JsonMapper.builder().build().readTree(Files.readString(BUILT_SBOM));
            List<String> purls = new ArrayList<>();
            bom.path("components").forEach(c -> purls.add(c.path("purl").asString()));
            purls.sort(null);
            StringBuilder lines = new StringBuilder();
            purls.forEach(p -> lines.append(p).append('\n'));
            return sha256(lines.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream bom(String serial, String... purls) {
        StringBuilder components = new StringBuilder();
        for (String purl : purls) {
            String[] coordinates = purl.substring("pkg:maven/".length(), purl.indexOf('?')).split("[/@]");
            components.append(components.isEmpty() ? "" : ",").append("{\"group\":\"").append(coordinates[0])
                    .append("\",\"name\":\"").append(coordinates[1]).append("\",\"version\":\"").append(coordinates[2])
                    .append("\",\"purl\":\"").append(purl).append("\"}");
        }
        String json = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"serialNumber\":\"" + serial
                + "\",\"components\":[" + components + "]}";
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
