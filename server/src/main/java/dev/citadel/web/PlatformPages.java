package dev.citadel.web;

import java.util.List;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.citadel.audit.AuditTrail;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.tenancy.Tenants;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The operator's view: tenants (names, regions, plans, quotas), the server's health and the
 * platform audit chain's status — never a tenant's content.
 */
@Controller
@Hidden
class PlatformPages {

    private static final int PAGE = 20;

    private final Tenants tenants;
    private final HealthEndpoint health;
    private final AuditTrail trail;

    PlatformPages(Tenants tenants, HealthEndpoint health, AuditTrail trail) {
        this.tenants = tenants;
        this.health = health;
        this.trail = trail;
    }

    @GetMapping("/console/platform")
    @PlatformOperation(PlatformAction.TENANTS_MANAGE)
    String platform(@RequestParam(defaultValue = "1") int page, Model model) {
        int shown = Math.max(1, Math.min(page, 100_000));
        List<Tenants.TenantView> listed = tenants.list((shown - 1) * PAGE, PAGE + 1);
        model.addAttribute("tenants", listed.subList(0, Math.min(PAGE, listed.size())));
        model.addAttribute("page", shown);
        model.addAttribute("hasNext", listed.size() > PAGE);
        var status = health.health();
        model.addAttribute("health", status == null ? "UNKNOWN" : status.getStatus().getCode());
        model.addAttribute("verification", trail.verify(TenantId.PLATFORM));
        return "console/platform";
    }
}
