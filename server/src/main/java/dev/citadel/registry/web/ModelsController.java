package dev.citadel.registry.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.registry.InputSchema;
import dev.citadel.registry.ModelImports;
import dev.citadel.registry.ModelManifest;
import dev.citadel.registry.Models;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The model registry: models, versions, signatures, approval, verification keys. */
@RestController
@Tag(name = "Models")
class ModelsController {

    private static final String BASE = "/api/v1/tenants/{tenant}/models";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Models models;
    private final ModelImports imports;

    ModelsController(Models models, ModelImports imports) {
        this.models = models;
        this.imports = imports;
    }

    record ApprovalRequest(@NotBlank @Size(max = 1000) String reason) {}

    @GetMapping(BASE)
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "List the tenant's models")
    List<Models.ModelView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return models.list(scope.tenant());
    }

    @GetMapping(BASE + "/{name}")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Show a model")
    Models.ModelView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return models.get(scope.tenant(), name);
    }

    @GetMapping(BASE + "/{name}/versions")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "List a model's versions (signatures not re-verified: verified is null)")
    List<Models.VersionView> versions(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return models.versions(scope.tenant(), name);
    }

    @PostMapping(path = BASE + "/{name}/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @TenantAction(Action.MODEL_IMPORT)
    @Operation(summary = "Import an externally trained ONNX model (multipart: part model = the .onnx file, "
            + "optional part schema = JSON input schema)",
            description = "Nothing is stored unless an allow-list scanner proves the file is a self-contained ONNX model "
                    + "within limits using standard operator domains and ONNX Runtime can open it. Pickle, joblib, PyTorch, "
                    + "Java serialization, archives, external data and custom operators are refused with the rule named. "
                    + "The version is signed and registered as a candidate with its origin and uploader.")
    @ApiResponse(responseCode = "201", description = "The registered candidate version")
    ResponseEntity<Models.VersionView> importModel(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @RequestPart("model") MultipartFile model,
            @RequestPart(name = "schema", required = false) byte[] schema) throws IOException {
        InputSchema declared = null;
        if (schema != null && schema.length > 0) {
            if (schema.length > 4 * 1024 * 1024) {
                throw new CitadelException(ErrorCode.MODEL_INVALID_SCHEMA, "The input schema is over 4 MiB.");
            }
            try {
                declared = JSON.readValue(schema, InputSchema.class);
            } catch (JacksonException e) {
                throw new CitadelException(ErrorCode.MODEL_INVALID_SCHEMA,
                        "The schema part is not a JSON input schema: {\"features\": [{\"name\", \"type\"}], \"target\": {...}}.");
            }
        }
        Models.VersionView version = imports.importOnnx(scope.tenant(), name, model.getBytes(), declared,
                model.getOriginalFilename());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + scope.tenant().value() + "/models/" + name
                + "/versions/" + version.version())).body(version);
    }

    @GetMapping(BASE + "/{name}/versions/{version}")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Show a version: stage, metrics, input schema, transforms, lineage, and its signature verified now")
    Models.VersionView version(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version) {
        return models.version(scope.tenant(), name, version);
    }

    @GetMapping(BASE + "/{name}/versions/{version}/manifest")
    @TenantAction(Action.MODEL_EXPORT)
    @Operation(summary = "The exact signed manifest bytes, the signature and its key id, for offline verification",
            description = "Needs models.export: the manifest holds the full input schema, including sensitive columns' "
                    + "categories, which metadata views leave out.")
    Models.SignedManifest manifest(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version) {
        return models.signedManifest(scope.tenant(), name, version);
    }

    @GetMapping(path = BASE + "/{name}/versions/{version}/artifact", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @TenantAction(Action.MODEL_EXPORT)
    @Operation(summary = "Download the verified artifact (ONNX or Tribuo protobuf); audited")
    ResponseEntity<byte[]> artifact(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version) {
        Models.VersionView described = models.describe(scope.tenant(), name, version);
        byte[] bytes = models.exportArtifact(scope.tenant(), name, version);
        String extension = described.format().equals(ModelManifest.ONNX) ? "onnx" : "tribuo.pb";
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-v" + version + "." + extension + "\"")
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(bytes);
    }

    @PostMapping(BASE + "/{name}/versions/{version}/approval")
    @TenantAction(Action.MODEL_APPROVE)
    @Operation(summary = "Approve a candidate (four eyes: not by whoever trained or imported it); audited with the reason")
    Models.VersionView approve(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version,
            @Valid @RequestBody ApprovalRequest request) {
        return models.approve(scope.tenant(), name, version, request.reason());
    }

    @PostMapping(BASE + "/{name}/versions/{version}/archival")
    @TenantAction(Action.MODEL_APPROVE)
    @Operation(summary = "Archive a version: it can no longer be approved or deployed")
    Models.VersionView archive(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version) {
        return models.archive(scope.tenant(), name, version);
    }

    @GetMapping(path = "/api/v1/tenants/{tenant}/signing-keys", produces = MediaType.APPLICATION_JSON_VALUE)
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "The tenant's public model-signing keys (Tink JSON keyset, no secrets), for offline verification")
    String signingKeys(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return models.verificationKeys(scope.tenant());
    }
}
