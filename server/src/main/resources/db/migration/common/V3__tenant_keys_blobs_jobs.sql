-- Per-tenant keysets (wrapped by the KEK), their key versions, the registry of encrypted blobs,
-- and the job model shared by long-running work (re-encryption now; training, erasure later).

alter table platform_keysets add column kek_id varchar(80);

create table tenant_keysets (
    tenant_id       varchar(40)  not null,
    purpose         varchar(16)  not null,
    kek_id          varchar(80)  not null,
    wrapped_keyset  bytea        not null,
    generation      integer      not null,
    updated_at      timestamp with time zone not null,
    primary key (tenant_id, purpose)
);

create table tenant_keys (
    tenant_id     varchar(40) not null,
    purpose       varchar(16) not null,
    key_id        bigint      not null,
    status        varchar(16) not null,
    created_at    timestamp with time zone not null,
    retired_at    timestamp with time zone,
    destroyed_at  timestamp with time zone,
    primary key (tenant_id, purpose, key_id)
);

create table blob_objects (
    tenant_id        varchar(40)  not null,
    kind             varchar(16)  not null,
    object_id        uuid         not null,
    version          integer      not null,
    store_key        varchar(300) not null,
    plaintext_bytes  bigint       not null,
    stored_bytes     bigint       not null,
    plaintext_sha256 bytea        not null,
    key_id           bigint       not null,
    created_at       timestamp with time zone not null,
    primary key (tenant_id, kind, object_id, version)
);

-- Scheduling facts only (no tenant content), readable by every worker across tenants.
create table job_queue (
    job_id            uuid         primary key,
    owner_tenant      varchar(40)  not null,
    kind              varchar(40)  not null,
    state             varchar(16)  not null,
    queued_at         timestamp with time zone not null,
    lease_holder      varchar(120),
    lease_expires_at  timestamp with time zone,
    attempts          integer      not null default 0,
    cancel_requested  boolean      not null default false
);
create index job_queue_state on job_queue (state, queued_at);

-- The job as its tenant sees it: progress, timings, outcome.
create table jobs (
    id           uuid          primary key,
    tenant_id    varchar(40)   not null,
    kind         varchar(40)   not null,
    state        varchar(16)   not null,
    phase        varchar(120),
    percent      integer       not null default 0,
    params       varchar(4000),
    result       varchar(4000),
    error        varchar(1000),
    created_by   varchar(120)  not null,
    created_at   timestamp with time zone not null,
    started_at   timestamp with time zone,
    finished_at  timestamp with time zone
);
