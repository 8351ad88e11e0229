-- Moves access_epoch at commit of any transaction that changed a row the request path caches.
-- Deferred constraint triggers run at commit, so the counter's row lock is held only for the
-- commit itself (no lock-order cycle with the change's own rows). An UPDATE that changed only the
-- columns named as arguments (bookkeeping such as last_login_at) does not move it: everything
-- else does, including columns added later.
create or replace function citadel_bump_access_epoch() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and tg_nargs > 0 and (to_jsonb(new) - tg_argv) = (to_jsonb(old) - tg_argv) then
        return null;
    end if;
    update access_epoch set epoch = epoch + 1 where id = 1;
    return null;
end;
$$;

create constraint trigger revoked_tokens_access_epoch after insert or update or delete on revoked_tokens
    deferrable initially deferred for each row execute function citadel_bump_access_epoch();
create constraint trigger users_access_epoch after insert or update or delete on users
    deferrable initially deferred for each row execute function citadel_bump_access_epoch('last_login_at', 'totp_last_step');
create constraint trigger service_accounts_access_epoch after insert or update or delete on service_accounts
    deferrable initially deferred for each row execute function citadel_bump_access_epoch('last_used_at');
create constraint trigger tenants_access_epoch after insert or update or delete on tenants
    deferrable initially deferred for each row execute function citadel_bump_access_epoch();
create constraint trigger tenant_members_access_epoch after insert or update or delete on tenant_members
    deferrable initially deferred for each row execute function citadel_bump_access_epoch();
create constraint trigger deployments_access_epoch after insert or update or delete on deployments
    deferrable initially deferred for each row execute function citadel_bump_access_epoch();
