-- Whole-tenant erasure (issue 10): the tenant's row stays as a tombstone (its id is never reused,
-- its audit trail stays verifiable), marked with when it was erased.
alter table tenants add column erased_at timestamp with time zone;
