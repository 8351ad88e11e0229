package dev.citadel.compliance.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.compliance.Reports;
import dev.citadel.compliance.reports.AccessReview;
import dev.citadel.compliance.reports.Control;
import dev.citadel.compliance.reports.ReportPage;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.json.JsonMapper;

/** The tenant's access review and compliance report (tenant admins and auditors). */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/reports")
@Tag(name = "Reports")
class ReportsController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Reports reports;

    ReportsController(Reports reports) {
        this.reports = reports;
    }

    @GetMapping("/access-review")
    @TenantAction(Action.REPORTS_READ)
    @Operation(operationId = "accessReview", summary = "Every principal with roles, last use, MFA and secret age, flagged",
            description = "Flags: stale (not used for citadel.compliance.stale-after, 90 days), no MFA, a secret older "
                    + "than citadel.compliance.secret-max-age, a service account holding more than predictor, auditor "
                    + "combined with a role that changes data, four or more roles, disabled but still a member.")
    AccessReview.Report accessReview(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return reports.accessReview(scope);
    }

    @GetMapping("/compliance")
    @TenantAction(Action.REPORTS_READ)
    @Operation(operationId = "complianceReport", summary = "The controls in force, with evidence and their mappings",
            description = "Each control (encryption at rest and in transit, key rotation, MFA, least privilege, audit "
                    + "trail, pseudonymisation, policies, model integrity, residency, retention, erasure) has a status "
                    + "computed now (in-place, attention, not-configured), the evidence, and the HIPAA Security Rule "
                    + "sections, GDPR articles and SOC 2 criteria it answers. format=html gives a printable page.")
    ResponseEntity<?> compliance(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "json") @Size(max = 8) @Pattern(regexp = "json|html") String format) {
        Reports.ComplianceReport report = reports.compliance(scope);
        if (format.equals("html")) {
            Map<String, Object> evidence = new LinkedHashMap<>();
            for (Control control : report.controls()) {
                evidence.put(control.id(), control.evidence());
            }
            String page = ReportPage.render(report.tenant(), report.region(), report.generatedAt().toString(),
                    report.statusCounts(), report.controls(), JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(evidence));
            return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                    .body(page);
        }
        return ResponseEntity.ok(report);
    }
}
