-- Forgot-user-ID and forgot-password requests: the route records one and answers 202 at
-- once; the outbox worker matches it and queues any e-mail, so known and unknown accounts
-- take the same time. `email` is as typed after NFKC; `user_id` is canonical (lower-case).
CREATE TABLE recovery_requests (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    birth_date TEXT,
    user_id TEXT,
    client TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    processed_at TIMESTAMP
);
CREATE INDEX recovery_requests_pending ON recovery_requests (processed_at, requested_at);
