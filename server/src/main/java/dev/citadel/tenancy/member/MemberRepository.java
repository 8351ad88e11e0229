package dev.citadel.tenancy.member;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.PrincipalKind;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Role;

/** Role grants: one row per (tenant, principal, role). Every query names the tenant or the principal. */
@Repository
public class MemberRepository {

    private final JdbcClient jdbc;

    public MemberRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A principal's roles in a tenant, empty when it is not a member. */
    public Set<Role> roles(TenantId tenant, UUID principal) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        jdbc.sql("select role from tenant_members where tenant_id = ? and principal_id = ?")
                .param(tenant.value()).param(principal).query(String.class).list()
                .forEach(name -> Role.fromWireName(name).ifPresent(roles::add));
        return roles;
    }

    public void replaceRoles(TenantId tenant, PrincipalId principal, Set<Role> roles, String grantedBy, Instant now) {
        jdbc.sql("delete from tenant_members where tenant_id = ? and principal_id = ?")
                .param(tenant.value()).param(principal.value()).update();
        for (Role role : roles) {
            jdbc.sql("insert into tenant_members (tenant_id, principal_id, principal_kind, role, granted_at, granted_by) "
                            + "values (?, ?, ?, ?, ?, ?)")
                    .param(tenant.value()).param(principal.value()).param(principal.kind().wireName())
                    .param(role.wireName()).param(OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).param(grantedBy)
                    .update();
        }
    }

    public boolean remove(TenantId tenant, UUID principal) {
        return jdbc.sql("delete from tenant_members where tenant_id = ? and principal_id = ?")
                .param(tenant.value()).param(principal).update() > 0;
    }

    /** Number of principals holding {@code role} in the tenant. */
    public long countWithRole(TenantId tenant, Role role) {
        return jdbc.sql("select count(distinct principal_id) from tenant_members where tenant_id = ? and role = ?")
                .param(tenant.value()).param(role.wireName()).query(Long.class).single();
    }

    /** A member and its roles. */
    public record MemberRow(PrincipalId principal, Set<Role> roles) {}

    public List<MemberRow> list(TenantId tenant) {
        Map<UUID, MemberRow> members = new LinkedHashMap<>();
        jdbc.sql("select principal_id, principal_kind, role from tenant_members where tenant_id = ? "
                        + "order by principal_kind, principal_id, role")
                .param(tenant.value())
                .query(rs -> {
                    UUID id = rs.getObject("principal_id", UUID.class);
                    PrincipalKind kind = PrincipalKind.fromWireName(rs.getString("principal_kind"));
                    MemberRow row = members.computeIfAbsent(id,
                            k -> new MemberRow(new PrincipalId(kind, id), EnumSet.noneOf(Role.class)));
                    Role.fromWireName(rs.getString("role")).ifPresent(row.roles()::add);
                });
        return List.copyOf(members.values());
    }

    /** The tenants a principal belongs to, with its roles (run as that principal, no tenant context). */
    public Map<TenantId, Set<Role>> membershipsOf(UUID principal) {
        Map<TenantId, Set<Role>> memberships = new LinkedHashMap<>();
        jdbc.sql("select tenant_id, role from tenant_members where principal_id = ? order by tenant_id, role")
                .param(principal)
                .query(rs -> {
                    TenantId tenant = new TenantId(rs.getString("tenant_id"));
                    Role.fromWireName(rs.getString("role")).ifPresent(role ->
                            memberships.computeIfAbsent(tenant, t -> EnumSet.noneOf(Role.class)).add(role));
                });
        return memberships;
    }
}
