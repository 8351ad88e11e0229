-- The embedded database's form of postgresql/V22_1: a Java row trigger (H2 has no procedural
-- language) that moves access_epoch in the changing transaction, except for an UPDATE that
-- changed only bookkeeping columns (AccessEpochTrigger names them).
create trigger revoked_tokens_access_epoch after insert, update, delete on revoked_tokens
    for each row call 'dev.citadel.platform.db.AccessEpochTrigger';
create trigger users_access_epoch after insert, update, delete on users
    for each row call 'dev.citadel.platform.db.AccessEpochTrigger';
create trigger service_accounts_access_epoch after insert, update, delete on service_accounts
    for each row call 'dev.citadel.platform.db.AccessEpochTrigger';
create trigger tenants_access_epoch after insert, update, delete on tenants
    for each row call 'dev.citadel.platform.db.AccessEpochTrigger';
create trigger tenant_members_access_epoch after insert, update, delete on tenant_members
    for each row call 'dev.citadel.platform.db.AccessEpochTrigger';
create trigger deployments_access_epoch after insert, update, delete on deployments
    for each row call 'dev.citadel.platform.db.AccessEpochTrigger';
