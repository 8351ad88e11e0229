-- Datasets (definitions: expectations, privacy policy) and their immutable versions. The content
-- of a version is an encrypted blob (kind dataset, object id = dataset id, version = version).
create table datasets (
    id                 uuid          primary key,
    tenant_id          varchar(40)   not null,
    name               varchar(64)   not null,
    description        varchar(1000),
    expectations       text,
    privacy_policy     text,
    next_version       integer       not null default 1,
    created_at         timestamp with time zone not null,
    created_by         varchar(120)  not null,
    updated_at         timestamp with time zone not null,
    unique (tenant_id, name)
);

create table dataset_versions (
    tenant_id        varchar(40)  not null,
    dataset_id       uuid         not null references datasets (id),
    version          integer      not null,
    sha256           varchar(64)  not null,
    row_count        bigint       not null,
    column_count     integer      not null,
    stored_bytes     bigint       not null,
    schema_json      text         not null,
    findings_json    text         not null,
    validation_json  text         not null,
    kept_sensitive   varchar(4000),
    source_format    varchar(16)  not null,
    created_at       timestamp with time zone not null,
    created_by       varchar(120) not null,
    primary key (tenant_id, dataset_id, version)
);
