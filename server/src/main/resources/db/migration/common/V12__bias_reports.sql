-- Bias reports (issue 8): a model version evaluated on rows of a dataset version, grouped by one
-- attribute. A report shares its id with the job that computes it. `plan` is the checked request;
-- `report` the result, group aggregates only (counts and rates; a group below the minimum size shows
-- its count alone), never a row or an input value. Listed per model version, newest first.
create table bias_reports (
    id            uuid          primary key,
    tenant_id     varchar(40)   not null,
    model         varchar(64)   not null,
    model_version integer       not null,
    attribute     varchar(256)  not null,
    plan          varchar(4000) not null,
    state         varchar(16)   not null,
    flagged       boolean,
    report        text,
    error         varchar(1000),
    created_by    varchar(120)  not null,
    created_at    timestamp with time zone not null,
    finished_at   timestamp with time zone
);
create index bias_reports_version on bias_reports (tenant_id, model, model_version, created_at);
