-- Runs after every migration, as the owner role. Idempotent.
-- 1. Every table with a tenant_id column gets ENABLE + FORCE row-level security and, unless it has
--    a policy of its own, the tenant isolation policy keyed on the transaction-local setting
--    citadel.tenant_id (set with set_config(..., true), i.e. SET LOCAL).
-- 2. The application role gets only the privileges it needs; it owns nothing, so the policies bind it.
do $$
declare
    t record;
begin
    for t in
        select c.relname
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where n.nspname = current_schema() and c.relkind = 'r'
    loop
        execute format('alter table %I enable row level security', t.relname);
        execute format('alter table %I force row level security', t.relname);
        if not exists (select 1 from pg_policies where schemaname = current_schema() and tablename = t.relname) then
            execute format('create policy tenant_isolation on %I using (tenant_id = current_setting(''citadel.tenant_id'', true)) '
                           'with check (tenant_id = current_setting(''citadel.tenant_id'', true))', t.relname);
        end if;
    end loop;

    if '${app_role}' <> current_user then
        execute format('grant usage on schema %I to %I', current_schema(), '${app_role}');
        for t in
            select tablename from pg_tables
            where schemaname = current_schema() and tablename <> 'flyway_schema_history'
        loop
            if t.tablename in ('audit_events', 'audit_checkpoints') then
                -- append-only evidence: no update, no delete
                execute format('grant select, insert on %I to %I', t.tablename, '${app_role}');
            else
                execute format('grant select, insert, update, delete on %I to %I', t.tablename, '${app_role}');
            end if;
        end loop;
        execute format('grant usage, select on all sequences in schema %I to %I', current_schema(), '${app_role}');
    end if;
end
$$;
