package dev.citadel.registry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a version's signature covers: the artifact's digest and format, the input schema, the
 * privacy transforms serving re-applies, the metrics and the lineage. Serialised as canonical JSON
 * (keys sorted at every level, no insignificant white space, UTF-8) so that anyone holding the
 * tenant's public keys can verify an exported model with the manifest bytes alone
 * (docs/supply-chain.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record ModelManifest(
        String schema,
        String tenant,
        String model,
        int version,
        String origin,
        String format,
        Artifact artifact,
        String task,
        String algorithm,
        InputSchema inputSchema,
        List<Transform> transforms,
        Map<String, Object> metrics,
        Map<String, Object> lineage) {

    /** The manifest format this code writes and reads. */
    public static final String SCHEMA = "citadel.model-manifest/v1";

    /** Trained by Citadel or imported. */
    public static final String TRAINED = "trained";
    public static final String IMPORTED = "imported";

    /** Artifact formats: ONNX, or Tribuo's protobuf model format. Never Java serialization. */
    public static final String ONNX = "onnx";
    public static final String TRIBUO_PROTOBUF = "tribuo-protobuf";

    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // records' properties are creator properties, which Jackson otherwise puts first, in
            // declaration order (ModelManifestGoldenTest pins the sorted form)
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** The artifact: SHA-256 (hex) of its bytes and their number. */
    public record Artifact(String sha256, long bytes) {}

    /**
     * A privacy transform serving applies to a raw input column before the model sees it.
     *
     * @param kind the sensitive kind found in the column (masking depends on it), when known
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Transform(String column, String action, String kind) {}

    /** The canonical bytes the signature covers. */
    public byte[] canonicalBytes() {
        return CANONICAL.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
    }

    static ModelManifest parse(String json) {
        return CANONICAL.readValue(json, ModelManifest.class);
    }
}
