package dev.citadel.datasets.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.datasets.Datasets;
import dev.citadel.datasets.ingest.Expectations;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Datasets: definitions, privacy policies, streaming uploads of versions, metadata and protected content. */
@RestController
@Tag(name = "Datasets")
class DatasetsController {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final String BASE = "/api/v1/tenants/{tenant}/datasets";

    private final Datasets datasets;

    DatasetsController(Datasets datasets) {
        this.datasets = datasets;
    }

    record DefineRequest(@Size(max = 1000) String description, @Valid ExpectationsRequest expectations) {}

    record ExpectationsRequest(@Size(max = 1024) List<@Valid ColumnExpectation> columns, RowCountRequest rowCount,
            Boolean rejectOnFailure) {}

    record ColumnExpectation(@Size(max = 256) String column, Boolean present, @Size(max = 16) String type, Boolean notNull,
            Boolean unique, Double min, Double max, @Size(max = 1000) List<@Size(max = 1000) String> allowedValues,
            @Size(max = 200) String regex) {}

    record RowCountRequest(@Min(0) Long min, @Min(0) Long max) {}

    record PolicyRequest(@NotNull @Size(max = 1024) Map<@Size(max = 256) String, @Size(max = 16) String> columns) {}

    @GetMapping(BASE)
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "List the tenant's datasets")
    List<Datasets.DatasetView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return datasets.list(scope.tenant());
    }

    @PutMapping(BASE + "/{name}")
    @TenantAction(Action.DATASET_UPLOAD)
    @Operation(summary = "Create or update a dataset's definition",
            description = "Expectations are checked on every new version: column present, type, not null, unique, range, "
                    + "allowed values, regex, row count. With rejectOnFailure a failing version is refused.")
    Datasets.DatasetView define(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @Valid @RequestBody DefineRequest request) {
        return datasets.define(scope.tenant(), name, request.description(), toExpectations(request.expectations()));
    }

    @GetMapping(BASE + "/{name}")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Show a dataset: definition, privacy policy, latest version")
    Datasets.DatasetView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return datasets.get(scope.tenant(), name);
    }

    @PutMapping(BASE + "/{name}/privacy")
    @TenantAction(Action.PRIVACY_POLICY_SET)
    @Operation(summary = "Set the dataset's privacy policy (data stewards)",
            description = "Column → tokenize, mask, drop, generalize, reject or keep; applies to the following versions. "
                    + "keep stores detected identifiers unprotected and is audited.")
    Datasets.DatasetView setPrivacy(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @Valid @RequestBody PolicyRequest request) {
        return datasets.setPrivacyPolicy(scope.tenant(), name, request.columns(), scope.permits(Action.PRIVACY_KEEP));
    }

    @PostMapping(path = BASE + "/{name}/versions", consumes = {"text/csv", XLSX})
    @TenantAction(Action.DATASET_UPLOAD)
    @Operation(summary = "Upload a new version (CSV or .xlsx), streamed",
            description = "The body is the CSV (Content-Type text/csv, optionally Content-Encoding: gzip) or an .xlsx "
                    + "workbook (first sheet, or ?sheet=). It is parsed, validated and protected in one pass and stored only "
                    + "encrypted; bad input stores nothing.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
                @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary", maxLength = Integer.MAX_VALUE)),
                @Content(mediaType = XLSX, schema = @Schema(type = "string", format = "binary", maxLength = Integer.MAX_VALUE))}))
    @ApiResponse(responseCode = "201", description = "The stored version with its schema, findings and validation report")
    ResponseEntity<Datasets.VersionView> upload(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @RequestParam(required = false) @Size(max = 100) String sheet,
            @RequestHeader(name = HttpHeaders.CONTENT_ENCODING, required = false) @Size(max = 32) String encoding,
            HttpServletRequest request) throws IOException {
        boolean gzip = encoding != null && encoding.strip().equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new CitadelException(ErrorCode.REQUEST_UNSUPPORTED_MEDIA_TYPE, "Content-Encoding may be gzip or identity.");
        }
        Datasets.Format format = request.getContentType() != null && request.getContentType().startsWith(XLSX)
                ? Datasets.Format.XLSX : Datasets.Format.CSV;
        Datasets.VersionView version = datasets.upload(scope.tenant(), name,
                new Datasets.Upload(request.getInputStream(), format, gzip, sheet));
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + scope.tenant().value() + "/datasets/" + name
                + "/versions/" + version.version())).body(version);
    }

    @GetMapping(BASE + "/{name}/versions")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "List a dataset's versions")
    List<Datasets.VersionView> versions(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return datasets.versions(scope.tenant(), name);
    }

    @GetMapping(BASE + "/{name}/versions/{version}")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Show a version: SHA-256, counts, schema, sensitive-data findings, validation report")
    Datasets.VersionView version(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version) {
        return datasets.version(scope.tenant(), name, version);
    }

    @GetMapping(path = BASE + "/{name}/versions/{version}/content", produces = "text/csv")
    @TenantAction(Action.DATASET_CONTENT_READ)
    @Operation(summary = "Download a version's protected content (CSV)",
            description = "Streamed; cells that could run as spreadsheet formulas are neutralised. The read is audited.")
    void content(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name,
            @PathVariable @Min(1) @Max(1_000_000) int version, HttpServletResponse response) throws IOException {
        InputStream content = datasets.openExport(scope.tenant(), name, version);
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-v" + version + ".csv\"");
        Datasets.writeExport(content, response.getOutputStream());
    }

    private static Expectations toExpectations(ExpectationsRequest request) {
        if (request == null) {
            return Expectations.NONE;
        }
        List<Expectations.Column> columns = request.columns() == null ? List.of() : request.columns().stream()
                .map(c -> new Expectations.Column(c.column(), c.present(), c.type(), c.notNull(), c.unique(), c.min(), c.max(),
                        c.allowedValues(), c.regex()))
                .toList();
        Expectations.RowCount rowCount = request.rowCount() == null ? null
                : new Expectations.RowCount(request.rowCount().min(), request.rowCount().max());
        return new Expectations(columns, rowCount, Boolean.TRUE.equals(request.rejectOnFailure()));
    }
}
