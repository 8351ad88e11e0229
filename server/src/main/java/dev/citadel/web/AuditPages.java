package dev.citadel.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import dev.citadel.audit.AuditQuery;
import dev.citadel.audit.AuditTrail;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Hidden;

/** A tenant's audit trail: filtered, paged newest first, with the hash chain's verification status. */
@Controller
@Hidden
class AuditPages {

    private static final int PAGE = 50;

    /** The filters as the form shows them again. */
    record Filters(String actor, String action, String outcome, LocalDate from, LocalDate to) {}

    private final AuditTrail trail;

    AuditPages(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping("/console/tenants/{tenant}/audit")
    @TenantAction(Action.AUDIT_READ)
    String audit(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(required = false) @Min(1) @Max(Long.MAX_VALUE) Long before,
            @RequestParam(required = false) @Size(max = 120) String actor,
            @RequestParam(required = false) @Size(max = 80) String action,
            @RequestParam(required = false) @Pattern(regexp = "|success|failure|denied") String outcome,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            Model model) {
        Pages.tenant(model, scope);
        Instant fromInstant = from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant toInstant = to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        AuditTrail.AuditPage page = trail.page(scope.tenant(), new AuditQuery(before == null ? Long.MAX_VALUE : before,
                PAGE, fromInstant, toInstant, blankToNull(actor), blankToNull(action), null, null, blankToNull(outcome)));
        model.addAttribute("page", page);
        model.addAttribute("filters", new Filters(actor, action, outcome, from, to));
        if (scope.permits(Action.AUDIT_VERIFY)) {
            model.addAttribute("verification", trail.verify(scope.tenant()));
        }
        return "console/audit";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
