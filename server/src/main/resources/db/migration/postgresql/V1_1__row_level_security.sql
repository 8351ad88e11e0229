-- Memberships are visible to their tenant's context and to the member itself (so a principal can
-- list the tenants it belongs to without a tenant context). The generic tenant policy for every
-- other tenant table is applied by afterMigrate.sql.
alter table tenant_members enable row level security;
alter table tenant_members force row level security;
create policy tenant_members_isolation on tenant_members
    using (tenant_id = current_setting('citadel.tenant_id', true)
           or principal_id::text = current_setting('citadel.principal_id', true))
    with check (tenant_id = current_setting('citadel.tenant_id', true));
