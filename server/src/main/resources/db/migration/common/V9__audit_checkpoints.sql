-- Signed checkpoints over each tenant's audit chain (issue 8): the RFC 6962 Merkle tree head of the
-- first tree_size entries, their last chain hash, and an Ed25519 signature by the platform's audit
-- signing key over the signed message (SignedCheckpoint.message). Append-only like audit_events.
create table audit_checkpoints (
    tenant_id   varchar(40)  not null,
    tree_size   bigint       not null,
    root_hash   bytea        not null,
    chain_head  bytea        not null,
    signed_at   varchar(40)  not null,
    key_id      varchar(32)  not null,
    signature   bytea        not null,
    -- the compact range (perfect subtrees' roots) at tree_size, so the next checkpoint extends it
    -- instead of re-reading the whole chain; trusted only after it reproduces the signed root
    frontier    bytea        not null,
    primary key (tenant_id, tree_size)
);

-- No index per filter field (actor, action, …): every index is paid on each append, the hottest
-- write in Citadel; filtered listing walks the tenant's entries newest first until a page is full.
