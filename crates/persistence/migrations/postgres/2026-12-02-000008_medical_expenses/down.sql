ALTER TABLE tenants DROP COLUMN medical_months;
DROP TABLE medical_imports;
DROP TABLE medical_expenses;
