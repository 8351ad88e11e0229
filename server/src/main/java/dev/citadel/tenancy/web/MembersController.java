package dev.citadel.tenancy.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.tenancy.Members;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Tenant members and their roles (tenant admins; platform admins to bootstrap a tenant). */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/members")
@Tag(name = "Members")
class MembersController {

    private final Members members;

    MembersController(Members members) {
        this.members = members;
    }

    record RolesRequest(@NotNull @Size(min = 1, max = 7) List<@NotNull @Size(max = 32) String> roles) {}

    @GetMapping
    @TenantAction(Action.MEMBERS_MANAGE)
    @Operation(summary = "List the tenant's members and their roles")
    List<Members.MemberView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return members.list(scope);
    }

    @PutMapping("/{username}")
    @TenantAction(Action.MEMBERS_MANAGE)
    @Operation(summary = "Add a user to the tenant or replace its roles",
            description = "tenant-admin takes effect only once the user signs in with TOTP.")
    Members.MemberView put(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String username, @Valid @RequestBody RolesRequest request) {
        return members.put(scope, username, Members.parseRoles(request.roles()));
    }

    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @TenantAction(Action.MEMBERS_MANAGE)
    @Operation(summary = "Remove a user from the tenant")
    void remove(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String username) {
        members.remove(scope, username);
    }
}
