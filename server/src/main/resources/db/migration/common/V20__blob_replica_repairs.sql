-- Replicated object stores (issue 11): the durable repair queue of objects whose two copies differ
-- (a write acknowledged by one store, a read that found the primary's copy missing, a delete that
-- failed on one store, a copy that failed its integrity check), drained by whichever replica claims
-- an entry; and the lease that lets one replica at a time run the full scrub. Platform tables: the
-- key names the tenant, and no tenant reads them.
create table blob_replica_repairs (
    store_key       varchar(300)             not null primary key,
    action          varchar(10)              not null,
    reason          varchar(200)             not null,
    enqueued_at     timestamp with time zone not null,
    attempts        integer                  not null,
    next_attempt_at timestamp with time zone not null,
    claim           varchar(40),
    last_error      varchar(300)
);

create index blob_replica_repairs_due on blob_replica_repairs (next_attempt_at);

create table blob_replica_scrubs (
    id            integer                  not null primary key,
    holder        varchar(200),
    lease_until   timestamp with time zone,
    started_at    timestamp with time zone,
    finished_at   timestamp with time zone,
    checked       bigint,
    repaired      bigint,
    unrecoverable bigint
);

insert into blob_replica_scrubs (id) values (1);
