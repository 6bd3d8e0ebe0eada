-- Madoguchi's initial schema. Only Text, BigInt, Bool and Timestamp (UTC) columns:
-- the types diesel's multi-backend connection shares between SQLite and PostgreSQL.
-- Identifiers are UUIDv7 strings made by the application (time-ordered, no RETURNING needed).

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    insurer_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    lockout_minutes BIGINT NOT NULL DEFAULT 30,
    postcard_days BIGINT NOT NULL DEFAULT 90,
    nightly_closure BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- tenant_id NULL: the deployment's default terms. The newest row of a tenant is in force.
CREATE TABLE terms_versions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT REFERENCES tenants (id),
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL
);
CREATE INDEX terms_versions_tenant ON terms_versions (tenant_id, published_at);

-- The roster (名簿). Names and addresses are stored as decoded, only trimmed.
CREATE TABLE members (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    member_code TEXT NOT NULL,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name_kana TEXT NOT NULL,
    given_name_kana TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, member_code)
);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL UNIQUE REFERENCES members (id),
    state TEXT NOT NULL,
    user_id TEXT,
    user_id_canonical TEXT UNIQUE,
    password_hash TEXT,
    email TEXT,
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    notify_on_update BOOLEAN NOT NULL DEFAULT FALSE,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    session_version BIGINT NOT NULL DEFAULT 1,
    last_login_at TIMESTAMP,
    previous_login_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- 仮ユーザID / 仮パスワード. login_id is NULL for a password-only reissue of an active account
-- (the member signs in with their own user ID). Retired rows stay so that an ID is never reused.
CREATE TABLE temporary_credentials (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    login_id TEXT UNIQUE,
    password_hash TEXT NOT NULL,
    purpose TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP
);
CREATE INDEX temporary_credentials_account ON temporary_credentials (account_id, retired_at);

CREATE TABLE terms_acceptances (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    terms_version TEXT NOT NULL,
    accepted_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    tenant_id TEXT,
    member_code TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, occurred_at);

CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_outbox_due ON email_outbox (sent_at, next_attempt_at);

CREATE TABLE maintenance_windows (
    id TEXT PRIMARY KEY,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX maintenance_windows_ends ON maintenance_windows (ends_at);
