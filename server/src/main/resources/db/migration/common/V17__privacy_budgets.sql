-- Differential-privacy budget ledger (issue 12): a dataset's epsilon budget (null: the configured
-- default), which applies to each of its versions, and one charge per DP training job. The budget
-- row is also the lock that serialises charges against a dataset.
create table privacy_budgets (
    tenant_id  varchar(40)              not null,
    dataset    varchar(64)              not null,
    budget     double precision,
    updated_at timestamp with time zone,
    updated_by varchar(120),
    primary key (tenant_id, dataset)
);

create table privacy_charges (
    tenant_id       varchar(40)              not null,
    job_id          uuid                     not null,
    dataset         varchar(64)              not null,
    dataset_version integer                  not null,
    epsilon         double precision         not null,
    delta           double precision         not null,
    model           varchar(64)              not null,
    charged_at      timestamp with time zone not null,
    charged_by      varchar(120)             not null,
    primary key (tenant_id, job_id)
);

create index privacy_charges_by_version on privacy_charges (tenant_id, dataset, dataset_version);
