-- Retention (issue 10): how long a tenant keeps dataset versions, with per-dataset overrides, and
-- the audit retention it commits to (audit entries are never deleted by Citadel: the trail is
-- append-only, so the figure is a floor that is always met).
create table retention_settings (
    tenant_id            varchar(40)   primary key,
    dataset_version_days integer,
    dataset_overrides    varchar(4000),
    audit_years          integer,
    last_run_at          timestamp with time zone,
    last_run_deleted     integer,
    updated_at           timestamp with time zone not null,
    updated_by           varchar(120)  not null
);
