-- Deployments: a named, stable endpoint serving one verified model version with an output policy.
-- Changing the version is one row update; in-flight requests finish on the model they loaded.
create table deployments (
    id                  uuid          primary key,
    tenant_id           varchar(40)   not null,
    name                varchar(64)   not null,
    model               varchar(64)   not null,
    model_version       integer       not null,
    output_mode         varchar(16)   not null,
    score_precision     integer       not null,
    top_k               integer,
    unknown_categories  varchar(16)   not null,
    max_batch           integer       not null,
    created_at          timestamp with time zone not null,
    created_by          varchar(120)  not null,
    updated_at          timestamp with time zone not null,
    updated_by          varchar(120)  not null,
    unique (tenant_id, name)
);
