-- Passkeys (DESIGN §9, ADR 0020): the member's credentials, and the ceremonies under way.
-- A credential rests as webauthn-rs's record of it (public key, signature counter, flags):
-- nothing in it signs anything. `user_handle` is the random ID the authenticator keeps for
-- the account (one per account while it has passkeys); it names no person.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    user_handle TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    credential TEXT NOT NULL,
    sign_count BIGINT NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX passkeys_account ON passkeys (account_id);

-- A ceremony's state between its two requests, kept here so that any server of a deployment
-- can finish what another began; taken (deleted) by the request that finishes it, so it is
-- used once, and purged by the housekeeping once expired.
CREATE TABLE passkey_challenges (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    account_id TEXT REFERENCES accounts (id),
    state TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX passkey_challenges_expiry ON passkey_challenges (expires_at);
