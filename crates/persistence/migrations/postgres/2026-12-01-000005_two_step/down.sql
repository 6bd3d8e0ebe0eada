DROP TABLE login_history;
DROP TABLE remembered_devices;
DROP TABLE email_codes;
DROP TABLE recovery_codes;
DROP TABLE totp_factors;
ALTER TABLE accounts DROP COLUMN notify_on_login;
ALTER TABLE tenants DROP COLUMN two_step;
