package dev.citadel.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.citadel.deployments.Deployments;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.registry.Models;
import io.swagger.v3.oas.annotations.Hidden;

/** The model registry: models, versions with metrics, confusion matrix, lineage and signature; approve and deploy. */
@Controller
@Hidden
class ModelPages {

    private static final String BASE = "/console/tenants/{tenant}/models";

    /** A metric as a table row. */
    record Metric(String name, String value) {}

    /** A confusion matrix: rows are the true labels, columns the predicted ones. */
    record Confusion(List<String> labels, List<List<Object>> rows) {}

    /** One step of the lineage chain: what it is, its name, and the console page showing it (or null). */
    record Step(String kind, String label, String href) {}

    private final Models models;
    private final Deployments deployments;

    ModelPages(Models models, Deployments deployments) {
        this.models = models;
        this.deployments = deployments;
    }

    @GetMapping(BASE)
    @TenantAction(Action.METADATA_READ)
    String list(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("models", Paged.of(models.list(scope.tenant()), page));
        return "console/models";
    }

    @GetMapping(BASE + "/{name}")
    @TenantAction(Action.METADATA_READ)
    String model(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("model", models.get(scope.tenant(), name));
        model.addAttribute("versions", Paged.of(models.versions(scope.tenant(), name).reversed(), page));
        return "console/model";
    }

    @GetMapping(BASE + "/{name}/versions/{version}")
    @TenantAction(Action.METADATA_READ)
    String version(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name,
            @PathVariable @Min(1) @Max(1_000_000) int version, Model model) {
        Pages.tenant(model, scope);
        Models.VersionView v = models.version(scope.tenant(), name, version);
        List<Deployments.DeploymentView> serving = deployments.list(scope.tenant()).stream()
                .filter(d -> d.model().equals(name) && d.version() == version).toList();
        model.addAttribute("v", v);
        model.addAttribute("metrics", metrics(v.metrics()));
        model.addAttribute("confusion", confusion(v.metrics()));
        model.addAttribute("lineage", lineage(scope, v, serving));
        model.addAttribute("mayApprove", scope.permits(Action.MODEL_APPROVE) && "candidate".equals(v.stage()));
        model.addAttribute("mayDeploy", scope.permits(Action.DEPLOYMENTS_MANAGE)
                && ("approved".equals(v.stage()) || "production".equals(v.stage())));
        return "console/model-version";
    }

    /** The same approval as the API's, four-eyes rule included. */
    @PostMapping(BASE + "/{name}/versions/{version}/approval")
    @TenantAction(Action.MODEL_APPROVE)
    String approve(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name,
            @PathVariable @Min(1) @Max(1_000_000) int version, @RequestParam @NotBlank @Size(max = 1000) String reason) {
        models.approve(scope.tenant(), name, version, reason);
        return "redirect:/console/tenants/" + scope.tenant().value() + "/models/" + name + "/versions/" + version;
    }

    /** Creates or moves a deployment to this version, with the API's defaults for everything else. */
    @PostMapping(BASE + "/{name}/versions/{version}/deployment")
    @TenantAction(Action.DEPLOYMENTS_MANAGE)
    String deploy(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name,
            @PathVariable @Min(1) @Max(1_000_000) int version, @RequestParam @NotBlank @Size(max = 64) String deployment) {
        Deployments.DeploymentView deployed = deployments.put(scope.tenant(), deployment.strip(),
                new Deployments.DeploymentRequest(name, version, null, null, null, null, null, null, null, null, null));
        return "redirect:/console/tenants/" + scope.tenant().value() + "/deployments/" + deployed.name();
    }

    static List<Metric> metrics(Map<String, Object> metrics) {
        List<Metric> rows = new ArrayList<>();
        if (metrics == null) {
            return rows;
        }
        metrics.forEach((key, value) -> {
            if (value instanceof Number || value instanceof String) {
                rows.add(new Metric(key, String.valueOf(value)));
            } else if (value instanceof Map<?, ?> nested && key.equals("macro")) {
                nested.forEach((k, v) -> rows.add(new Metric("macro " + k, String.valueOf(v))));
            } else if (value instanceof Map<?, ?> attack && key.equals("membershipInference")) {
                membershipInference(attack, rows);
            }
        });
        return rows;
    }

    /** The membership-inference report (issue 12) as a few readable rows: the attack, then what DP allows. */
    private static void membershipInference(Map<?, ?> attack, List<Metric> rows) {
        rows.add(new Metric("membership-inference advantage (loss threshold)", figure(attack.get("advantage")) + " ± "
                + figure(attack.get("advantageMargin")) + " (" + attack.get("members") + " members, "
                + attack.get("nonMembers") + " non-members)"));
        rows.add(new Metric("membership-inference TPR at 1% FPR", attack.get("tprAt1PctFpr") == null
                ? "too few held-out rows" : figure(attack.get("tprAt1PctFpr"))));
        if (attack.get("dpBound") instanceof Map<?, ?> bound) {
            rows.add(new Metric("DP bound on advantage (ε " + figure(bound.get("epsilon")) + ")",
                    "≤ " + figure(bound.get("advantage"))));
            rows.add(new Metric("DP bound on TPR at 1% FPR", "≤ " + figure(bound.get("tprAt1PctFpr"))));
        }
    }

    private static String figure(Object value) {
        return value instanceof Number number ? String.format(java.util.Locale.ROOT, "%.3f", number.doubleValue())
                : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Confusion confusion(Map<String, Object> metrics) {
        if (metrics == null || !(metrics.get("confusionMatrix") instanceof Map<?, ?> matrix)
                || !(matrix.get("labels") instanceof List<?> labels) || !(matrix.get("counts") instanceof List<?> counts)) {
            return null;
        }
        return new Confusion(labels.stream().map(String::valueOf).toList(),
                counts.stream().map(row -> (List<Object>) row).toList());
    }

    private static List<Step> lineage(TenantScope scope, Models.VersionView v, List<Deployments.DeploymentView> serving) {
        String base = "/console/tenants/" + scope.tenant().value();
        List<Step> steps = new ArrayList<>();
        if (v.lineage() != null && v.lineage().get("dataset") instanceof Map<?, ?> dataset) {
            String name = String.valueOf(dataset.get("name"));
            String version = String.valueOf(dataset.get("version"));
            steps.add(new Step("Dataset version", name + " v" + version, base + "/datasets/" + name + "/versions/" + version));
        }
        if (v.jobId() != null) {
            steps.add(new Step("Training job", v.jobId().toString().substring(0, 8), base + "/training/" + v.jobId()));
        }
        steps.add(new Step("Model version", v.model() + " v" + v.version() + " (" + v.stage() + ")", null));
        serving.forEach(d -> steps.add(new Step("Deployment", d.name(), base + "/deployments/" + d.name())));
        return steps;
    }
}
