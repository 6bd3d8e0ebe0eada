-- The kenpo's help desk, shown to its members after sign-in and in every e-mail (all optional).
ALTER TABLE tenants ADD COLUMN contact_name TEXT;
ALTER TABLE tenants ADD COLUMN contact_phone TEXT;
ALTER TABLE tenants ADD COLUMN contact_hours TEXT;
ALTER TABLE tenants ADD COLUMN contact_url TEXT;
