package dev.citadel.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.citadel.deployments.Deployments;
import dev.citadel.monitoring.TenantMetrics;
import dev.citadel.monitoring.drift.DriftReports;
import dev.citadel.monitoring.drift.DriftWindow;
import dev.citadel.monitoring.drift.FeatureFigures;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Deployments, and a deployment's monitoring: request rate, latency and errors of the tenant's
 * endpoint groups ({@code GET …/metrics}) and the deployment's drift windows ({@code GET …/drift}).
 * The page carries the URL of a JSON document the console's script draws the charts from.
 */
@Controller
@Hidden
class DeploymentPages {

    private static final String BASE = "/console/tenants/{tenant}/deployments";
    private static final int DRIFT_WINDOWS = 50;

    /** What the charts draw: per endpoint group, and per drift window (oldest first). */
    record Charts(List<String> groups, List<Long> requests, List<Long> clientErrors, List<Long> serverErrors,
            List<Long> p50Ms, List<Long> p95Ms, List<Long> p99Ms, double requestsPerMinute,
            List<Long> windowEnds, Map<String, List<Double>> psiByFeature, Double psiThreshold) {}

    private final Deployments deployments;
    private final TenantMetrics metrics;
    private final DriftReports drift;
    private final Clock clock;

    DeploymentPages(Deployments deployments, TenantMetrics metrics, DriftReports drift, Clock clock) {
        this.clock = clock;
        this.deployments = deployments;
        this.metrics = metrics;
        this.drift = drift;
    }

    @GetMapping(BASE)
    @TenantAction(Action.METADATA_READ)
    String list(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("deployments", Paged.of(deployments.list(scope.tenant()), page));
        return "console/deployments";
    }

    @GetMapping(BASE + "/{name}")
    @TenantAction(Action.METADATA_READ)
    String deployment(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("d", deployments.get(scope.tenant(), name));
        boolean monitoring = scope.permits(Action.MONITORING_READ);
        model.addAttribute("monitoring", monitoring);
        if (monitoring) {
            DriftReports.DriftReport report = drift.report(scope.tenant(), name, DRIFT_WINDOWS);
            model.addAttribute("drift", report);
            model.addAttribute("figures", metrics.figures(scope.tenant()));
        }
        return "console/deployment";
    }

    @GetMapping(BASE + "/{name}/charts")
    @TenantAction(Action.MONITORING_READ)
    @ResponseBody
    Charts charts(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name) {
        TenantMetrics.Figures figures = metrics.figures(scope.tenant());
        DriftReports.DriftReport report = drift.report(scope.tenant(), name, DRIFT_WINDOWS);
        List<TenantMetrics.Group> groups = figures.requests();
        long total = groups.stream().mapToLong(TenantMetrics.Group::count).sum();
        double minutes = Math.max(1.0, Duration.between(figures.since(), clock.instant()).toSeconds() / 60.0);
        List<DriftWindow> windows = new ArrayList<>(report.history() == null ? List.of() : report.history()).reversed();
        Map<String, List<Double>> psi = new TreeMap<>();
        for (DriftWindow window : windows) {
            for (FeatureFigures feature : window.features()) {
                psi.computeIfAbsent(feature.name(), k -> new ArrayList<>()).add(feature.psi());
            }
        }
        return new Charts(groups.stream().map(TenantMetrics.Group::group).toList(),
                groups.stream().map(TenantMetrics.Group::count).toList(),
                groups.stream().map(TenantMetrics.Group::clientErrors).toList(),
                groups.stream().map(TenantMetrics.Group::serverErrors).toList(),
                groups.stream().map(g -> zeroIfNull(g.p50Ms())).toList(),
                groups.stream().map(g -> zeroIfNull(g.p95Ms())).toList(),
                groups.stream().map(g -> zeroIfNull(g.p99Ms())).toList(),
                Math.round(total / minutes * 100) / 100.0,
                windows.stream().map(w -> w.end().getEpochSecond()).toList(), psi,
                report.settings() == null ? null : report.settings().psiThreshold());
    }

    private static long zeroIfNull(Long value) {
        return value == null ? 0 : value;
    }
}
