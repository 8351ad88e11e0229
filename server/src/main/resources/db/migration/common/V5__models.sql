-- The model registry. A version's signed manifest (canonical JSON: artifact digest, input schema,
-- privacy transforms, metrics, lineage) is the single source of truth for everything but its
-- stage; the artifact itself is an encrypted blob (kind model, object id = model id, version).
create table models (
    id           uuid          primary key,
    tenant_id    varchar(40)   not null,
    name         varchar(64)   not null,
    next_version integer       not null default 1,
    created_at   timestamp with time zone not null,
    created_by   varchar(120)  not null,
    unique (tenant_id, name)
);

create table model_versions (
    tenant_id        varchar(40)   not null,
    model_id         uuid          not null references models (id),
    version          integer       not null,
    stage            varchar(16)   not null,
    origin           varchar(16)   not null,
    manifest         text          not null,
    signature        varchar(400)  not null,
    signing_key_id   bigint        not null,
    job_id           uuid,
    created_by       varchar(120)  not null,
    created_at       timestamp with time zone not null,
    approved_by      varchar(120),
    approved_at      timestamp with time zone,
    approval_reason  varchar(1000),
    stage_changed_at timestamp with time zone not null,
    primary key (tenant_id, model_id, version)
);
-- a training job registers at most one version, even when it is retried after a crash
create unique index model_versions_job on model_versions (tenant_id, job_id);
