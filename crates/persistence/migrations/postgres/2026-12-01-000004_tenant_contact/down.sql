ALTER TABLE tenants DROP COLUMN contact_url;
ALTER TABLE tenants DROP COLUMN contact_hours;
ALTER TABLE tenants DROP COLUMN contact_phone;
ALTER TABLE tenants DROP COLUMN contact_name;
