-- Token buckets shared by every replica (Bucket4j's PostgreSQL store). Keys name the tenant,
-- principal or deployment they limit; rows expire once their bucket would be full again.
create table rate_limit_buckets (
    id          varchar(400) primary key,
    state       bytea,
    expires_at  bigint
);
