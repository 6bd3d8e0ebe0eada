-- 医療費のお知らせ (DESIGN §10, ADR 0022): what the kenpo paid per month for each person of a
-- household, imported from its claims system. `member_id` is the insured person's roster row:
-- the account of that member sees the row. An import replaces the tenant's rows of every
-- service month in its file; `medical_imports` keeps what each import did (no medical data).
-- The key is a number in file order, so a month's rows read back as they were imported.
CREATE TABLE medical_expenses (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    import_id TEXT NOT NULL,
    service_month BIGINT NOT NULL,
    patient_name TEXT NOT NULL,
    relationship TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    category TEXT NOT NULL,
    days BIGINT NOT NULL,
    total_cost BIGINT NOT NULL,
    paid_amount BIGINT NOT NULL,
    public_paid BIGINT NOT NULL,
    reimbursed_amount BIGINT NOT NULL
);
CREATE INDEX medical_expenses_member ON medical_expenses (member_id, service_month);
CREATE INDEX medical_expenses_tenant_month ON medical_expenses (tenant_id, service_month);

CREATE TABLE medical_imports (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    file_name TEXT NOT NULL,
    months TEXT NOT NULL,
    rows_imported BIGINT NOT NULL,
    households BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX medical_imports_tenant ON medical_imports (tenant_id, created_at);

-- How many months of medical expenses the tenant keeps (housekeeping deletes older ones).
ALTER TABLE tenants ADD COLUMN medical_months BIGINT NOT NULL DEFAULT 24;
