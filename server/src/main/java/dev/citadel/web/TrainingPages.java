package dev.citadel.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.citadel.datasets.Datasets;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.training.TrainingJobs;
import dev.citadel.training.TrainingRequest;
import io.swagger.v3.oas.annotations.Hidden;

/** Training jobs: the list, a form to start one, and a job's live progress (an htmx-polled fragment). */
@Controller
@Hidden
class TrainingPages {

    private static final String BASE = "/console/tenants/{tenant}/training";
    private static final int LISTED = 500;

    private final TrainingJobs training;
    private final Datasets datasets;

    TrainingPages(TrainingJobs training, Datasets datasets) {
        this.training = training;
        this.datasets = datasets;
    }

    @GetMapping(BASE)
    @TenantAction(Action.METADATA_READ)
    String list(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(required = false) @Size(max = 64) String dataset,
            @RequestParam(required = false) @Min(1) @Max(1_000_000) Integer version,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("jobs", Paged.of(training.list(scope.tenant(), LISTED), page));
        boolean mayTrain = scope.permits(Action.TRAINING_START);
        model.addAttribute("mayTrain", mayTrain);
        if (mayTrain) {
            List<Datasets.DatasetView> known = datasets.list(scope.tenant());
            model.addAttribute("datasetNames", known.stream().map(Datasets.DatasetView::name).toList());
            model.addAttribute("chosenDataset", dataset);
            model.addAttribute("chosenVersion", version);
            model.addAttribute("maySeeSensitive", scope.permits(Action.PRIVACY_KEEP));
        }
        return "console/training";
    }

    /** The same submission as {@code POST …/training-jobs}, with default parameters. */
    @PostMapping(BASE)
    @TenantAction(Action.TRAINING_START)
    String start(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam @Size(max = 64) String model, @RequestParam @Size(max = 64) String dataset,
            @RequestParam @Min(1) @Max(1_000_000) int version, @RequestParam @Size(max = 256) String target,
            @RequestParam @Pattern(regexp = "classification|regression") String task,
            @RequestParam @Size(max = 32) String algorithm,
            @RequestParam(defaultValue = "false") boolean allowSensitive) {
        TrainingRequest request = new TrainingRequest(model.strip(), dataset, version, target.strip(), task, algorithm,
                Map.of(), null, null, null, allowSensitive ? Boolean.TRUE : null, null);
        TrainingJobs.TrainingJobView job = training.submit(scope.tenant(), request, scope.permits(Action.PRIVACY_KEEP));
        return "redirect:/console/tenants/" + scope.tenant().value() + "/training/" + job.id();
    }

    @GetMapping(BASE + "/{id}")
    @TenantAction(Action.METADATA_READ)
    String job(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable UUID id, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("job", training.get(scope.tenant(), id));
        return "console/job";
    }

    /** The progress fragment htmx polls every second until the job has finished. */
    @GetMapping(BASE + "/{id}/progress")
    @TenantAction(Action.METADATA_READ)
    String progress(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable UUID id, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("job", training.get(scope.tenant(), id));
        return "console/job :: progress";
    }
}
