DROP TABLE email_verifications;
DROP TABLE throttle_counters;
