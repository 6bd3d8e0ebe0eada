-- お知らせ (DESIGN §10, ADR 0021): a tenant's notices, each member's read marks, and how far the
-- e-mail to the members has got. `fanout_cursor` is the last account ID whose e-mail is in the
-- outbox (written in the same transaction as those outbox rows), so a fan-out that stops
-- resumes after it: no member is mailed twice or skipped. `fanned_out_at` ends it.
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    publish_at TIMESTAMP NOT NULL,
    important BOOLEAN NOT NULL DEFAULT FALSE,
    withdrawn_at TIMESTAMP,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    fanout_cursor TEXT NOT NULL DEFAULT '',
    fanned_out_at TIMESTAMP
);
CREATE INDEX notices_tenant ON notices (tenant_id, publish_at);
CREATE INDEX notices_fanout ON notices (fanned_out_at, publish_at);

CREATE TABLE notice_reads (
    notice_id TEXT NOT NULL REFERENCES notices (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (notice_id, account_id)
);
CREATE INDEX notice_reads_account ON notice_reads (account_id);
