-- One counter that every committed change to what authenticates or authorises a request moves
-- (revocations, users, service accounts, tenants, memberships, deployments): the database
-- triggers of V22_1 move it inside the changing transaction, so a cached lookup tagged with the
-- counter it was read under is current exactly while the counter has not moved.
create table access_epoch (
    id     integer primary key,
    epoch  bigint  not null
);
insert into access_epoch (id, epoch) values (1, 0);
