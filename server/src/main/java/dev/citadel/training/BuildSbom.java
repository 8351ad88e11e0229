package dev.citadel.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CycloneDX SBOM the build wrote into the server's classes ({@code META-INF/sbom/application.cdx.json},
 * ADR 0036), reduced to what a model's lineage records: how many components, a digest of the
 * component list, and the versions of the machine-learning libraries. The digest covers the sorted
 * package URLs only, not the document, whose serial number and timestamp change with every build:
 * two builds with the same dependencies give the same digest, and it can be recomputed from the
 * SBOM with {@code jq} (docs/supply-chain.md). Components without a package URL are counted but
 * not digested.
 */
record BuildSbom(String specVersion, int components, String componentsSha256, Map<String, String> libraries) {

    static final String RESOURCE = "/META-INF/sbom/application.cdx.json";

    /** Components whose versions lineage names, by Maven group and artifact. */
    private static final Map<String, String> ML_LIBRARIES = Map.of(
            "org.tribuo/tribuo-core", "tribuo",
            "ml.dmlc/xgboost4j_2.12", "xgboost4j",
            "com.microsoft.onnxruntime/onnxruntime", "onnxruntime");

    private static final BuildSbom CURRENT = load();

    /** This build's SBOM, or null when the classes were built without one (an IDE build). */
    static BuildSbom current() {
        return CURRENT;
    }

    /** The lineage entry: the digest and libraries, or {@code format: none} without an SBOM. */
    static Map<String, Object> lineage() {
        if (CURRENT == null) {
            return Map.of("format", "none");
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("format", "CycloneDX " + CURRENT.specVersion());
        entry.put("components", CURRENT.components());
        entry.put("componentsSha256", CURRENT.componentsSha256());
        entry.put("libraries", CURRENT.libraries());
        return entry;
    }

    static BuildSbom parse(InputStream json) {
        JsonNode bom = JsonMapper.builder().build().readTree(json);
        if (!"CycloneDX".equals(bom.path("bomFormat").asString(""))) {
            throw new IllegalArgumentException("not a CycloneDX document");
        }
        List<String> purls = new ArrayList<>();
        Map<String, String> libraries = new TreeMap<>();
        for (JsonNode component : bom.path("components")) {
            String purl = component.path("purl").asString("");
            if (!purl.isEmpty()) {
                purls.add(purl);
            }
            String library = ML_LIBRARIES.get(component.path("group").asString("") + "/" + component.path("name").asString(""));
            if (library != null) {
                libraries.put(library, component.path("version").asString(""));
            }
        }
        purls.sort(null);
        return new BuildSbom(bom.path("specVersion").asString(""), bom.path("components").size(), digest(purls), libraries);
    }

    /**
     * SHA-256 of the sorted package URLs, one per line, each ending in a newline: what
     * {@code jq -r '.components[].purl // empty' | LC_ALL=C sort | sha256sum} prints.
     */
    static String digest(List<String> sortedPurls) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String purl : sortedPurls) {
                sha256.update((purl + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BuildSbom load() {
        try (InputStream in = BuildSbom.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : parse(in);
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            return null;
        }
    }
}
