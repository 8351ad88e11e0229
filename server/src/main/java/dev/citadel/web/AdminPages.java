package dev.citadel.web;

import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.Role;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.tenancy.Members;
import io.swagger.v3.oas.annotations.Hidden;

/** A tenant admin's pages: members, service accounts and key versions (never key material). */
@Controller
@Hidden
class AdminPages {

    private static final String BASE = "/console/tenants/{tenant}";

    private final Members members;
    private final TenantKeys keys;

    AdminPages(Members members, TenantKeys keys) {
        this.members = members;
        this.keys = keys;
    }

    @GetMapping(BASE + "/members")
    @TenantAction(Action.MEMBERS_MANAGE)
    String members(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("members", Paged.of(members.list(scope), page));
        model.addAttribute("roles", tenantRoles());
        return "console/members";
    }

    /** Adds a member or replaces its roles: the API's {@code PUT …/members/{username}}. */
    @PostMapping(BASE + "/members")
    @TenantAction(Action.MEMBERS_MANAGE)
    String putMember(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam @NotBlank @Size(max = 128) String username,
            @RequestParam(name = "role", required = false) @Size(max = 10) List<@Size(max = 32) String> roles) {
        Set<Role> parsed = Members.parseRoles(roles == null ? List.of() : roles);
        members.put(scope, username.strip(), parsed);
        return "redirect:/console/tenants/" + scope.tenant().value() + "/members";
    }

    /** Removes a member: the API's {@code DELETE …/members/{username}} (the last tenant-admin cannot go). */
    @PostMapping(BASE + "/members/{username}/removal")
    @TenantAction(Action.MEMBERS_MANAGE)
    String removeMember(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 128) String username) {
        members.remove(scope, username);
        return "redirect:/console/tenants/" + scope.tenant().value() + "/members";
    }

    @GetMapping(BASE + "/service-accounts")
    @TenantAction(Action.SERVICE_ACCOUNTS_MANAGE)
    String serviceAccounts(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("accounts", Paged.of(members.listServiceAccounts(scope), page));
        model.addAttribute("roles", tenantRoles());
        return "console/service-accounts";
    }

    /** Creates a service account; its client secret is shown on this response only. */
    @PostMapping(BASE + "/service-accounts")
    @TenantAction(Action.SERVICE_ACCOUNTS_MANAGE)
    String createServiceAccount(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam @NotBlank @Size(max = 64) String name,
            @RequestParam(name = "role", required = false) @Size(max = 10) List<@Size(max = 32) String> roles,
            Model model) {
        Members.ServiceAccountView created = members.createServiceAccount(scope, name.strip(),
                Members.parseRoles(roles == null ? List.of() : roles));
        Pages.tenant(model, scope);
        model.addAttribute("created", created);
        model.addAttribute("accounts", Paged.of(members.listServiceAccounts(scope), 1));
        model.addAttribute("roles", tenantRoles());
        return "console/service-accounts";
    }

    @GetMapping(BASE + "/keys")
    @TenantAction(Action.KEYS_LIST)
    String keys(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "1") int page, Model model) {
        Pages.tenant(model, scope);
        model.addAttribute("keys", Paged.of(keys.list(scope.tenant()), page));
        return "console/keys";
    }

    private static List<String> tenantRoles() {
        return java.util.Arrays.stream(Role.values()).filter(Role::isTenantRole).map(Role::wireName).toList();
    }
}
