package dev.citadel.tenancy;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.identity.ServiceAccounts;
import dev.citadel.identity.Users;
import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.PrincipalKind;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.access.Role;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.tenancy.member.MemberRepository;

/** Tenant members (users) and service accounts with their roles, managed by tenant admins. */
@Service
public class Members {

    private final MemberRepository repository;
    private final Users users;
    private final ServiceAccounts serviceAccounts;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    Members(MemberRepository repository, Users users, ServiceAccounts serviceAccounts, AuditLog audit,
            TenantTransactions transactions, Clock clock) {
        this.repository = repository;
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A member as the API shows it. */
    public record MemberView(String name, String kind, Set<String> roles, Boolean mfaEnabled, boolean disabled) {}

    /**
     * A service account with its roles; {@code clientSecret} is present only when just issued, and
     * never for an account with {@code tlsClientAuth} (it authenticates with its client certificate).
     */
    public record ServiceAccountView(String name, String clientId, Set<String> roles, boolean disabled,
            java.time.Instant createdAt, java.time.Instant secretCreatedAt, java.time.Instant lastUsedAt,
            String clientSecret, TlsClientAuth tlsClientAuth) {}

    /**
     * RFC 8705 §2.1 {@code tls_client_auth}: the subject distinguished name of the client
     * certificate the account authenticates with (issued by a CA in {@code citadel.tls.client-ca}).
     */
    public record TlsClientAuth(String subjectDn) {}

    public MemberView put(TenantScope scope, String username, Set<Role> roles) {
        requireTenantRoles(roles, false);
        Users.UserView user = users.find(username).filter(u -> !u.disabled())
                .orElseThrow(() -> new CitadelException(ErrorCode.USER_NOT_FOUND, "No such user."));
        transactions.inTenant(scope.tenant(), () -> {
            Set<Role> before = repository.roles(scope.tenant(), user.id());
            if (before.contains(Role.TENANT_ADMIN) && !roles.contains(Role.TENANT_ADMIN)) {
                guardLastAdmin(scope);
            }
            repository.replaceRoles(scope.tenant(), user.principalId(), roles, scope.principal().actor(), clock.instant());
            audit.append(AuditEvent.of(scope.tenant(), "member.put", "user", user.id().toString(), AuditOutcome.SUCCESS,
                    Map.of("roles", wireNames(roles), "previousRoles", wireNames(before))));
        });
        return new MemberView(user.username(), PrincipalKind.USER.wireName(), wireNameSet(roles), user.mfaEnabled(), false);
    }

    public void remove(TenantScope scope, String username) {
        Users.UserView user = users.find(username).orElseThrow(Members::memberNotFound);
        transactions.inTenant(scope.tenant(), () -> {
            Set<Role> before = repository.roles(scope.tenant(), user.id());
            if (before.isEmpty()) {
                throw memberNotFound();
            }
            if (before.contains(Role.TENANT_ADMIN)) {
                guardLastAdmin(scope);
            }
            repository.remove(scope.tenant(), user.id());
            audit.append(AuditEvent.of(scope.tenant(), "member.remove", "user", user.id().toString(),
                    AuditOutcome.SUCCESS, Map.of("previousRoles", wireNames(before))));
        });
    }

    public List<MemberView> list(TenantScope scope) {
        List<MemberRepository.MemberRow> rows = transactions.inTenant(scope.tenant(), () -> repository.list(scope.tenant()));
        return rows.stream().filter(row -> row.principal().kind() == PrincipalKind.USER)
                .map(row -> users.find(row.principal().value())
                        .map(u -> new MemberView(u.username(), PrincipalKind.USER.wireName(), wireNameSet(row.roles()),
                                u.mfaEnabled(), u.disabled())))
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * One principal of the tenant as an access review sees it: roles, MFA, when it was created and
     * last used (a user's last sign-in, a service account's last token), its secret's age.
     */
    public record AccessEntry(String name, String kind, Set<String> roles, Boolean mfaEnabled, boolean disabled,
            java.time.Instant createdAt, java.time.Instant lastUsedAt, java.time.Instant secretCreatedAt) {}

    /** Every user member and service account of the tenant, for the access review. */
    public List<AccessEntry> accessEntries(TenantScope scope) {
        List<MemberRepository.MemberRow> rows = transactions.inTenant(scope.tenant(), () -> repository.list(scope.tenant()));
        List<AccessEntry> entries = new java.util.ArrayList<>();
        rows.stream().filter(row -> row.principal().kind() == PrincipalKind.USER)
                .forEach(row -> users.find(row.principal().value()).ifPresent(u -> entries.add(new AccessEntry(
                        u.username(), PrincipalKind.USER.wireName(), wireNameSet(row.roles()), u.mfaEnabled(),
                        u.disabled(), u.createdAt(), u.lastLoginAt(), null))));
        listServiceAccounts(scope).forEach(sa -> entries.add(new AccessEntry(sa.name(),
                PrincipalKind.SERVICE_ACCOUNT.wireName(), sa.roles(), null, sa.disabled(), sa.createdAt(), sa.lastUsedAt(),
                sa.secretCreatedAt())));
        return entries;
    }

    public ServiceAccountView createServiceAccount(TenantScope scope, String name, Set<Role> roles) {
        return createServiceAccount(scope, name, roles, null);
    }

    /** Creates a service account; with {@code tlsClientAuth} it authenticates with that client certificate only. */
    public ServiceAccountView createServiceAccount(TenantScope scope, String name, Set<Role> roles,
            TlsClientAuth tlsClientAuth) {
        requireTenantRoles(roles, true);
        if (tlsClientAuth != null && tlsClientAuth.subjectDn() == null) {
            throw CitadelException.invalid("tlsClientAuth.subjectDn", "is required with tlsClientAuth");
        }
        String subjectDn = tlsClientAuth == null ? null : tlsClientAuth.subjectDn();
        return transactions.inTenant(scope.tenant(), () -> {
            ServiceAccounts.IssuedCredentials issued = serviceAccounts.create(scope.tenant(), name,
                    scope.principal().actor(), subjectDn);
            repository.replaceRoles(scope.tenant(), issued.account().principalId(), roles, scope.principal().actor(),
                    clock.instant());
            audit.append(AuditEvent.of(scope.tenant(), "service_account.create", "service-account",
                    issued.account().id().toString(), AuditOutcome.SUCCESS, subjectDn == null
                            ? Map.of("roles", wireNames(roles))
                            : Map.of("roles", wireNames(roles), "authentication", "tls_client_auth")));
            return view(issued.account(), roles, issued.clientSecret() == null ? null : issued.clientSecret().reveal());
        });
    }

    public List<ServiceAccountView> listServiceAccounts(TenantScope scope) {
        return transactions.inTenant(scope.tenant(), () -> serviceAccounts.list(scope.tenant()).stream()
                .map(sa -> view(sa, repository.roles(scope.tenant(), sa.id()), null))
                .toList());
    }

    public ServiceAccountView showServiceAccount(TenantScope scope, String name) {
        return transactions.inTenant(scope.tenant(), () -> serviceAccounts.find(scope.tenant(), name)
                .map(sa -> view(sa, repository.roles(scope.tenant(), sa.id()), null))
                .orElseThrow(Members::serviceAccountNotFound));
    }

    public ServiceAccountView rotateServiceAccountSecret(TenantScope scope, String name) {
        return transactions.inTenant(scope.tenant(), () -> {
            ServiceAccounts.IssuedCredentials issued = serviceAccounts.rotateSecret(scope.tenant(), name);
            audit.append(AuditEvent.success(scope.tenant(), "service_account.rotate_secret", "service-account",
                    issued.account().id().toString()));
            return view(issued.account(), repository.roles(scope.tenant(), issued.account().id()),
                    issued.clientSecret().reveal());
        });
    }

    /** Makes the account authenticate with a client certificate of this subject only (its secret and tokens die). */
    public ServiceAccountView bindServiceAccountCertificate(TenantScope scope, String name, TlsClientAuth tlsClientAuth) {
        return transactions.inTenant(scope.tenant(), () -> {
            ServiceAccounts.ServiceAccountView account = serviceAccounts.bindCertificate(scope.tenant(), name,
                    tlsClientAuth.subjectDn());
            audit.append(AuditEvent.success(scope.tenant(), "service_account.bind_certificate", "service-account",
                    account.id().toString()));
            return view(account, repository.roles(scope.tenant(), account.id()), null);
        });
    }

    public ServiceAccountView disableServiceAccount(TenantScope scope, String name) {
        return transactions.inTenant(scope.tenant(), () -> {
            ServiceAccounts.ServiceAccountView account = serviceAccounts.disable(scope.tenant(), name);
            audit.append(AuditEvent.success(scope.tenant(), "service_account.disable", "service-account",
                    account.id().toString()));
            return view(account, repository.roles(scope.tenant(), account.id()), null);
        });
    }

    /** The tenants the principal belongs to, with its roles there. */
    public Map<TenantId, Set<Role>> membershipsOf(CitadelPrincipal principal) {
        if (principal.kind() == PrincipalKind.EXTERNAL) {
            return principal.externalGrants();
        }
        return transactions.asPrincipal(principal.id(), () -> repository.membershipsOf(principal.id().value()));
    }

    /** Raw role grants of a local principal in a tenant (the caller's transaction is in that tenant). */
    Set<Role> grantedRoles(TenantId tenant, PrincipalId principal) {
        return repository.roles(tenant, principal.value());
    }

    private void guardLastAdmin(TenantScope scope) {
        if (!scope.principal().platformAdmin() && repository.countWithRole(scope.tenant(), Role.TENANT_ADMIN) <= 1) {
            throw new CitadelException(ErrorCode.REQUEST_CONFLICT,
                    "This would leave the tenant without a tenant-admin; add another admin first.");
        }
    }

    private static void requireTenantRoles(Set<Role> roles, boolean serviceAccount) {
        if (roles.isEmpty()) {
            throw CitadelException.invalid("roles", "must name at least one role");
        }
        if (roles.contains(Role.PLATFORM_ADMIN)) {
            throw CitadelException.invalid("roles", "platform-admin is not a tenant role");
        }
        if (serviceAccount && roles.contains(Role.TENANT_ADMIN)) {
            throw CitadelException.invalid("roles", "service accounts cannot be tenant-admin (it needs MFA)");
        }
    }

    /** Parses role names from a request; unknown names are a 400 naming the field. */
    public static Set<Role> parseRoles(List<String> names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (int i = 0; i < names.size(); i++) {
            int index = i;
            roles.add(Role.fromWireName(names.get(i)).orElseThrow(() ->
                    CitadelException.invalid("roles[" + index + "]", "unknown role; see GET /api/v1/roles")));
        }
        return roles;
    }

    private static ServiceAccountView view(ServiceAccounts.ServiceAccountView sa, Set<Role> roles, String secret) {
        return new ServiceAccountView(sa.name(), sa.clientId(), wireNameSet(roles), sa.disabled(), sa.createdAt(),
                sa.secretCreatedAt(), sa.lastUsedAt(), secret,
                sa.tlsSubjectDn() == null ? null : new TlsClientAuth(sa.tlsSubjectDn()));
    }

    private static String wireNames(Set<Role> roles) {
        return roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(","));
    }

    private static Set<String> wireNameSet(Set<Role> roles) {
        return roles.stream().map(Role::wireName).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static CitadelException memberNotFound() {
        return new CitadelException(ErrorCode.MEMBER_NOT_FOUND, "No such member in this tenant.");
    }

    private static CitadelException serviceAccountNotFound() {
        return new CitadelException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No such service account in this tenant.");
    }
}
