package dev.citadel.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

import dev.citadel.datasets.Datasets;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.errors.CitadelException;
import io.swagger.v3.oas.annotations.Hidden;

/** Datasets: the list, versions, and a version's schema, validation report and PII findings; CSV upload. */
@Controller
@Hidden
class DatasetPages {

    private static final String BASE = "/console/tenants/{tenant}/datasets";

    private final Datasets datasets;

    DatasetPages(Datasets datasets) {
        this.datasets = datasets;
    }

    @GetMapping(BASE)
    @TenantAction(Action.METADATA_READ)
    String list(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("datasets", Paged.of(datasets.list(scope.tenant()), page));
        model.addAttribute("mayUpload", scope.permits(Action.DATASET_UPLOAD));
        return "console/datasets";
    }

    /** A CSV or XLSX file from a multipart form, streamed through the same upload as the API's. */
    @PostMapping(BASE)
    @TenantAction(Action.DATASET_UPLOAD)
    String upload(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam @Size(max = 64) String name, @RequestParam MultipartFile file) throws IOException {
        if (file.isEmpty()) {
            throw CitadelException.invalid("file", "choose a CSV file to upload");
        }
        String filename = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(java.util.Locale.ROOT);
        Datasets.Format format = filename.endsWith(".xlsx") ? Datasets.Format.XLSX : Datasets.Format.CSV;
        boolean gzip = filename.endsWith(".gz");
        Datasets.VersionView version;
        try (InputStream body = file.getInputStream()) {
            version = datasets.upload(scope.tenant(), name, new Datasets.Upload(body, format, gzip, null));
        }
        return "redirect:/console/tenants/" + scope.tenant().value() + "/datasets/" + version.dataset() + "/versions/"
                + version.version();
    }

    @GetMapping(BASE + "/{name}")
    @TenantAction(Action.METADATA_READ)
    String dataset(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("dataset", datasets.get(scope.tenant(), name));
        List<Datasets.VersionView> versions = datasets.versions(scope.tenant(), name).reversed();
        model.addAttribute("versions", Paged.of(versions, page));
        return "console/dataset";
    }

    @GetMapping(BASE + "/{name}/versions/{version}")
    @TenantAction(Action.METADATA_READ)
    String version(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name,
            @PathVariable @Min(1) @Max(1_000_000) int version, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("v", datasets.version(scope.tenant(), name, version));
        model.addAttribute("mayTrain", scope.permits(Action.TRAINING_START));
        return "console/dataset-version";
    }
}
