-- Drift monitoring (issue 8, ADR 0026).
-- A deployed model version's reference distribution, summarised once from the training dataset
-- version its signed lineage names: per non-sensitive feature the bin edges and proportions, the
-- quantiles the KS test rebuilds the CDF from, or the category proportions (JSON in summary). Never
-- rows. status 'unavailable' records why a version has none (e.g. imported without training data).
create table drift_references (
    tenant_id        varchar(40)   not null,
    model            varchar(64)   not null,
    model_version    integer       not null,
    status           varchar(16)   not null,
    reason           varchar(300),
    dataset          varchar(64),
    dataset_version  integer,
    dataset_sha256   varchar(64),
    rows_read        bigint,
    summary          text,
    computed_at      timestamp with time zone not null,
    primary key (tenant_id, model, model_version)
);

-- Each closed window of live inputs to a deployment: when, which version answered, how many
-- instances, and per feature PSI, KS distance and p-value and the live bin proportions (JSON in
-- figures). Never an input value.
create table drift_windows (
    id             uuid          primary key,
    tenant_id      varchar(40)   not null,
    deployment     varchar(64)   not null,
    seq            bigint        not null,
    model          varchar(64)   not null,
    model_version  integer       not null,
    started_at     timestamp with time zone not null,
    ended_at       timestamp with time zone not null,
    instances      bigint        not null,
    drifted        boolean       not null,
    figures        text          not null
);
create index drift_windows_by_deployment on drift_windows (tenant_id, deployment, seq);
