-- A deployment's daily query budget per principal (instances), an extraction defence; null = none.
alter table deployments add column daily_budget integer;
