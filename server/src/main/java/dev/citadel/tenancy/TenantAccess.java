package dev.citadel.tenancy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.PrincipalKind;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.Role;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.db.AccessEpoch;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.tenancy.member.MemberRepository;
import dev.citadel.tenancy.tenant.TenantRepository;

/**
 * The one authorisation check. Every tenant-scoped endpoint reaches it through the access
 * interceptor; features never decide permissions themselves.
 *
 * <p>Security guarantees: a principal with no membership in the tenant — including every principal
 * of another tenant — gets {@code tenant.not_found}, the same 404 as a tenant that does not exist,
 * whether the tenant exists or not. A member whose effective roles do not grant the action gets 403.
 * {@code tenant-admin} is effective only in an MFA-authenticated session. A service account acts
 * only in its own tenant; an external identity only where its provider's claims grant roles. A
 * {@code platform-admin} may see the tenant and manage members and service accounts, nothing else.
 * Every denial is audited: members' in the tenant's trail, outsiders' in the platform trail.
 */
@Service
public class TenantAccess {

    private final TenantRepository tenants;
    private final MemberRepository members;
    private final AuditLog audit;
    private final TenantTransactions transactions;

    /**
     * Whether a tenant exists and a principal's membership roles in it, valid while the access epoch
     * has not moved (creating or erasing a tenant, or changing a membership, moves it).
     */
    private final AccessEpoch.Cache<List<Object>, TenantFacts> facts;

    private record TenantFacts(boolean exists, Set<Role> memberRoles) {}

    TenantAccess(TenantRepository tenants, MemberRepository members, AuditLog audit, TenantTransactions transactions,
            AccessEpoch epoch) {
        this.facts = epoch.cache(100_000);
        this.tenants = tenants;
        this.members = members;
        this.audit = audit;
        this.transactions = transactions;
    }

    public TenantScope authorize(CitadelPrincipal principal, String tenantSlug, Action action) {
        TenantId tenant = TenantId.parseOrNull(tenantSlug);
        if (tenant == null) {
            throw deniedOutsider(principal, "invalid_tenant", "-", action);
        }
        record Lookup(boolean exists, Set<Role> granted) {}
        TenantFacts known = facts.get(List.of(tenant, principal.kind(), principal.id().value()),
                () -> transactions.inTenant(tenant, () -> {
                    boolean exists = tenants.exists(tenant);
                    return new TenantFacts(exists, exists && principal.kind() != PrincipalKind.EXTERNAL
                            ? Set.copyOf(members.roles(tenant, principal.id().value())) : Set.of());
                }));
        Lookup lookup = new Lookup(known.exists(), known.exists() ? grantedRoles(principal, tenant, known) : Set.of());
        if (!lookup.exists()) {
            throw deniedOutsider(principal, "no_such_tenant", tenant.value(), action);
        }
        Set<Role> effective = effectiveRoles(principal, lookup.granted());
        if (RolePermissions.allows(effective, action)) {
            return new TenantScope(tenant, principal, effective, action, RolePermissions.permitted(effective));
        }
        if (principal.platformAdmin() && RolePermissions.PLATFORM_ADMIN_ACTIONS.contains(action)) {
            return new TenantScope(tenant, principal, effective, action, RolePermissions.permitted(effective));
        }
        if (lookup.granted().isEmpty()) {
            if (principal.platformAdmin()) {
                throw deniedMember(principal, tenant, action, "platform_admin_not_member",
                        "A platform administrator cannot read tenant content unless a tenant admin makes it a member.");
            }
            throw deniedOutsider(principal, "not_member", tenant.value(), action);
        }
        boolean adminWithoutMfa = lookup.granted().contains(Role.TENANT_ADMIN) && !effective.contains(Role.TENANT_ADMIN);
        throw deniedMember(principal, tenant, action, adminWithoutMfa ? "mfa_required" : "role",
                adminWithoutMfa ? "tenant-admin takes effect only after signing in with TOTP."
                        : "Your roles in this tenant do not allow " + action.wireName() + ".");
    }

    /** Checks a platform-level operation: only an effective platform-admin passes. */
    public void authorizePlatform(CitadelPrincipal principal, PlatformAction action) {
        if (!principal.platformAdmin()) {
            transactions.inNewTenantTransaction(TenantId.PLATFORM, () -> audit.append(new AuditEvent(TenantId.PLATFORM,
                    principal.actor(), "access.denied", "platform-action", action.wireName(), AuditOutcome.DENIED,
                    new TreeMap<>(Map.of("reason", "not_platform_admin")))));
            throw new CitadelException(ErrorCode.ACCESS_DENIED,
                    "Only a platform administrator signed in with TOTP may do this.");
        }
    }

    private static Set<Role> grantedRoles(CitadelPrincipal principal, TenantId tenant, TenantFacts known) {
        return switch (principal.kind()) {
            case EXTERNAL -> principal.externalGrants().getOrDefault(tenant, Set.of());
            case SERVICE_ACCOUNT -> principal.homeTenant().filter(tenant::equals).isPresent()
                    ? known.memberRoles() : Set.of();
            case USER -> known.memberRoles();
        };
    }

    private static Set<Role> effectiveRoles(CitadelPrincipal principal, Set<Role> granted) {
        Set<Role> effective = granted.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(granted);
        effective.removeIf(role -> role.requiresMfa() && !principal.mfa());
        if (principal.kind() == PrincipalKind.SERVICE_ACCOUNT) {
            effective.remove(Role.TENANT_ADMIN);
        }
        return effective;
    }

    private CitadelException deniedOutsider(CitadelPrincipal principal, String reason, String tenant, Action action) {
        transactions.inNewTenantTransaction(TenantId.PLATFORM, () -> audit.append(new AuditEvent(TenantId.PLATFORM,
                principal.actor(), "access.denied", "tenant", tenant, AuditOutcome.DENIED,
                new TreeMap<>(Map.of("reason", reason, "action", action.wireName())))));
        return new CitadelException(ErrorCode.TENANT_NOT_FOUND, "No such tenant.");
    }

    private CitadelException deniedMember(CitadelPrincipal principal, TenantId tenant, Action action, String reason,
            String detail) {
        transactions.inNewTenantTransaction(tenant, () -> audit.append(new AuditEvent(tenant, principal.actor(),
                "access.denied", "action", action.wireName(), AuditOutcome.DENIED,
                new TreeMap<>(Map.of("reason", reason)))));
        return new CitadelException(ErrorCode.ACCESS_DENIED, detail);
    }
}
