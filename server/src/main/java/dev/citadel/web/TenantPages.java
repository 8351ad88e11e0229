package dev.citadel.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.Role;
import dev.citadel.platform.access.SelfService;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.tenancy.Members;
import dev.citadel.tenancy.Tenants;
import io.swagger.v3.oas.annotations.Hidden;

/** The caller's tenants, and a tenant's home page. */
@Controller
@Hidden
class TenantPages {

    /** One of the caller's tenants, as the overview lists it. */
    record TenantEntry(String id, String name, String roles) {}

    private final Members members;
    private final Tenants tenants;

    TenantPages(Members members, Tenants tenants) {
        this.members = members;
        this.tenants = tenants;
    }

    @GetMapping({"/console", "/console/"})
    @SelfService
    String overview(@RequestParam(defaultValue = "1") int page, Model model) {
        CitadelPrincipal principal = Principals.current().orElseThrow();
        Map<TenantId, Set<Role>> memberships = members.membershipsOf(principal);
        List<TenantEntry> entries = memberships.entrySet().stream()
                .map(e -> new TenantEntry(e.getKey().value(),
                        tenants.find(e.getKey()).map(Tenants.TenantView::name).orElse(e.getKey().value()),
                        String.join(", ", e.getValue().stream().map(Role::wireName).sorted().toList())))
                .sorted(Comparator.comparing(TenantEntry::id))
                .toList();
        model.addAttribute("tenants", Paged.of(entries, page));
        model.addAttribute("platformAdmin", principal.platformAdmin());
        return "console/tenants";
    }

    @GetMapping("/console/tenants/{tenant}")
    @TenantAction(Action.TENANT_READ)
    String home(TenantScope scope, @PathVariable @Size(max = 40) String tenant, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("info", tenants.find(scope.tenant()).orElseThrow());
        return "console/tenant";
    }
}
