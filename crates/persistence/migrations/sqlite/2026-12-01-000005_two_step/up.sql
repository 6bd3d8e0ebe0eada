-- Two-step login (DESIGN §9, ADR 0018): the kenpo's policy, the member's login notices, and
-- the factors. Secrets rest only as hashes, the TOTP seed (which the server must read back)
-- only sealed with a key derived from the server's secret.
ALTER TABLE tenants ADD COLUMN two_step TEXT NOT NULL DEFAULT 'optional';
ALTER TABLE accounts ADD COLUMN notify_on_login BOOLEAN NOT NULL DEFAULT TRUE;

-- One authenticator app per account: pending until `confirmed_at`.
CREATE TABLE totp_factors (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    sealed_secret TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    last_used_step BIGINT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX recovery_codes_account ON recovery_codes (account_id);

CREATE TABLE email_codes (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    code_hash TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX email_codes_account ON email_codes (account_id, sent_at);

CREATE TABLE remembered_devices (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    token_hash TEXT NOT NULL UNIQUE,
    browser TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX remembered_devices_account ON remembered_devices (account_id);

CREATE TABLE login_history (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    at TIMESTAMP NOT NULL,
    outcome TEXT NOT NULL,
    method TEXT NOT NULL,
    address TEXT NOT NULL,
    browser TEXT NOT NULL
);
CREATE INDEX login_history_account ON login_history (account_id, at);
