CREATE INDEX email_verifications_account ON email_verifications (account_id);
DROP INDEX email_verifications_account_newest;
