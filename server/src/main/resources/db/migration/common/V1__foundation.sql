-- Citadel foundation schema: tenants, identities, memberships, tokens, platform keysets, audit.
-- Append-only: never edit a migration once it is on main; add a new one.
-- Every table that holds tenant data has a tenant_id column; on PostgreSQL the afterMigrate
-- callback forces row-level security on each of them.

create table tenants (
    id                          varchar(40)  primary key,
    name                        varchar(200) not null,
    region                      varchar(64)  not null,
    plan                        varchar(32)  not null,
    quota_storage_bytes         bigint       not null,
    quota_training_concurrency  integer      not null,
    quota_predictions_per_day   bigint       not null,
    created_at                  timestamp with time zone not null,
    created_by                  varchar(120) not null
);

create table users (
    id                   uuid         primary key,
    username             varchar(64)  not null unique,
    password_hash        varchar(255) not null,
    totp_secret          bytea,
    totp_pending_secret  bytea,
    totp_last_step       bigint       not null default 0,
    platform_admin       boolean      not null default false,
    disabled             boolean      not null default false,
    token_generation     integer      not null default 0,
    created_at           timestamp with time zone not null,
    last_login_at        timestamp with time zone
);

create table service_accounts (
    id                  uuid         primary key,
    tenant_id           varchar(40)  not null references tenants (id),
    name                varchar(64)  not null,
    client_id           varchar(120) not null unique,
    secret_hash         bytea        not null,
    secret_created_at   timestamp with time zone not null,
    disabled            boolean      not null default false,
    token_generation    integer      not null default 0,
    created_at          timestamp with time zone not null,
    created_by          varchar(120) not null,
    last_used_at        timestamp with time zone,
    unique (tenant_id, name)
);

create table tenant_members (
    tenant_id       varchar(40)  not null references tenants (id),
    principal_id    uuid         not null,
    principal_kind  varchar(20)  not null,
    role            varchar(32)  not null,
    granted_at      timestamp with time zone not null,
    granted_by      varchar(120) not null,
    primary key (tenant_id, principal_id, role)
);
create index tenant_members_principal on tenant_members (principal_id);

create table refresh_tokens (
    token_hash         bytea        primary key,
    family_id          uuid         not null,
    user_id            uuid         not null references users (id),
    issued_at          timestamp with time zone not null,
    expires_at         timestamp with time zone not null,
    family_expires_at  timestamp with time zone not null,
    used_at            timestamp with time zone,
    revoked            boolean      not null default false
);
create index refresh_tokens_family on refresh_tokens (family_id);
create index refresh_tokens_user on refresh_tokens (user_id);

create table revoked_tokens (
    jti         varchar(64) primary key,
    expires_at  timestamp with time zone not null
);

create table login_attempts (
    subject_key      varchar(80) primary key,
    failures         integer     not null,
    locked_until     timestamp with time zone,
    last_failure_at  timestamp with time zone not null
);

create table jwt_signing_keys (
    kid                 varchar(64)  primary key,
    algorithm           varchar(16)  not null,
    public_jwk          varchar(2000) not null,
    wrapped_private_key bytea        not null,
    status              varchar(16)  not null,
    created_at          timestamp with time zone not null,
    retired_at          timestamp with time zone
);

create table platform_keysets (
    name            varchar(64) primary key,
    wrapped_keyset  bytea       not null,
    created_at      timestamp with time zone not null
);

-- One chain per tenant (and one for the platform, tenant_id '_platform'). The head row is locked
-- while appending so sequence numbers have no gaps and each entry links to its predecessor.
create table audit_heads (
    tenant_id  varchar(40) primary key,
    seq        bigint      not null,
    hash       bytea       not null
);

create table audit_events (
    tenant_id       varchar(40)  not null,
    seq             bigint       not null,
    event_id        uuid         not null unique,
    occurred_at     timestamp with time zone not null,
    actor           varchar(120) not null,
    action          varchar(80)  not null,
    target_type     varchar(40),
    target_id       varchar(200),
    outcome         varchar(16)  not null,
    request_id      varchar(64),
    source_address  varchar(64),
    details         varchar(4000),
    prev_hash       bytea        not null,
    hash            bytea        not null,
    primary key (tenant_id, seq)
);
create index audit_events_time on audit_events (tenant_id, occurred_at);
