-- Throttle counters shared by every server of a deployment: one row per key and fixed window.
CREATE TABLE throttle_counters (
    key TEXT PRIMARY KEY,
    window_started_at TIMESTAMP NOT NULL,
    hits BIGINT NOT NULL
);

-- E-mail verification links: the token is `<id>.<secret>`; only an argon2id hash of the
-- secret is stored. Single use, 24 hours.
CREATE TABLE email_verifications (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    email TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_verifications_account ON email_verifications (account_id);
