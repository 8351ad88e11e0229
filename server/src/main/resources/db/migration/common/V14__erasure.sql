-- Erasure (issue 10). A model version trained on data that was later erased is flagged for
-- retraining (the reason names the erasure, never the subject). Each completed erasure issues a
-- certificate: a JSON document signed with the platform's audit key, kept for the tenant.
alter table model_versions add column retrain_reason varchar(300);

create table erasure_certificates (
    tenant_id  varchar(40)  not null,
    id         uuid         not null,
    scope      varchar(16)  not null,
    document   text         not null,
    created_at timestamp with time zone not null,
    primary key (tenant_id, id)
);
