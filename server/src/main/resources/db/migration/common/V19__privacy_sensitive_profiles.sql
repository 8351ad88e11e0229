-- Issue 12, second part: a data steward can flag a dataset sensitive (the built-in policy
-- dp-for-sensitive-datasets then refuses non-DP training on it), and differentially private
-- dataset profiles are charged to the same ledger as DP training jobs: a charge is of kind
-- 'training' (job_id is the job, model its model) or 'profile' (job_id is the profile's id, no model).
alter table privacy_budgets add column sensitive boolean not null default false;
alter table privacy_charges add column kind varchar(16) not null default 'training';
alter table privacy_charges alter column model drop not null;
