-- The member's page reads the account's newest verification link (by created_at, then by ID)
-- as a column of its one statement (ADR 0023): this index answers that in its own order, with
-- no sort per request. It replaces the index on account_id alone, a prefix of it.
CREATE INDEX email_verifications_account_newest
    ON email_verifications (account_id, created_at, id);
DROP INDEX email_verifications_account;
