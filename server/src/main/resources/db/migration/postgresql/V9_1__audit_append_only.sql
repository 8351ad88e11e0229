-- The audit trail is append-only: besides the application role's missing UPDATE/DELETE grants
-- (afterMigrate.sql), a statement trigger refuses UPDATE, DELETE and TRUNCATE for every role,
-- including the owner — whether or not any row matches — so a mistaken or malicious statement fails
-- loudly instead of rewriting evidence. A superuser can still switch triggers off, which is why
-- checkpoints are signed and witnessed outside the database.
create or replace function citadel_audit_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only (% on %)', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_events_append_only before update or delete or truncate on audit_events
    for each statement execute function citadel_audit_append_only();
create trigger audit_checkpoints_append_only before update or delete or truncate on audit_checkpoints
    for each statement execute function citadel_audit_append_only();
