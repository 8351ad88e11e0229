package dev.citadel.web;

import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import dev.citadel.compliance.Reports;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Hidden;

/** The compliance report and the access review, as {@code GET …/reports/compliance} and {@code …/access-review} answer. */
@Controller
@Hidden
class CompliancePages {

    private final Reports reports;

    CompliancePages(Reports reports) {
        this.reports = reports;
    }

    @GetMapping("/console/tenants/{tenant}/compliance")
    @TenantAction(Action.REPORTS_READ)
    String compliance(TenantScope scope, @PathVariable @Size(max = 40) String tenant, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("report", reports.compliance(scope));
        model.addAttribute("review", reports.accessReview(scope));
        return "console/compliance";
    }
}
