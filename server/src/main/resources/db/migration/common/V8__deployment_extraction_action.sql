-- What a deployment does when a principal's queries look like model extraction:
-- alert (security event only), throttle (one request in ten for an hour) or block (for an hour).
alter table deployments add column extraction_action varchar(16) default 'alert' not null;
