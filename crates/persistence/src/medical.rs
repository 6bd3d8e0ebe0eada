//! 医療費のお知らせ (medical expenses, DESIGN §10, ADR 0022): the rows a kenpo imports per
//! month, read by the household's account only.
//!
//! Every member query takes the insured person's `member_id` (from the signed-in account), so
//! no caller can read another household's rows. The import's steps ([`replace_month`],
//! [`insert`], [`record_import`]) run inside the caller's one transaction: all or nothing.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use madoguchi_domain::medical::{Category, Line, Relationship, ServiceMonth};
use madoguchi_domain::onboarding::AccountState;

use crate::db::{Conn, on_backend};
use crate::error::StoreError;
use crate::notices::fanout::Recipient;
use crate::schema::{accounts as a, medical_expenses as e, medical_imports as i, members as m};
use crate::tenants;
use crate::time::to_db;

/// The tenant's roster: member code → member ID (the importer's lookup; no personal data).
pub fn member_ids(conn: &mut Conn, tenant_id: &str) -> Result<HashMap<String, String>, StoreError> {
    let rows: Vec<(String, String)> = m::table
        .filter(m::tenant_id.eq(tenant_id))
        .select((m::member_code, m::id))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Deletes the tenant's rows of `month` (a re-imported month replaces the old one); how many.
pub fn replace_month(
    conn: &mut Conn,
    tenant_id: &str,
    month: ServiceMonth,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        e::table
            .filter(e::tenant_id.eq(tenant_id))
            .filter(e::service_month.eq(i64::from(month.number()))),
    )
    .execute(conn)?)
}

/// One imported row, ready to store.
pub struct NewExpense<'a> {
    pub member_id: &'a str,
    pub line: &'a Line,
}

#[derive(Insertable)]
#[diesel(table_name = e, treat_none_as_default_value = false)]
struct Values<'a> {
    tenant_id: &'a str,
    member_id: &'a str,
    import_id: &'a str,
    service_month: i64,
    patient_name: &'a str,
    relationship: &'static str,
    provider_name: &'a str,
    category: &'static str,
    days: i64,
    total_cost: i64,
    paid_amount: i64,
    public_paid: i64,
    reimbursed_amount: i64,
}

impl<'a> Values<'a> {
    fn of(tenant_id: &'a str, import_id: &'a str, row: &NewExpense<'a>) -> Self {
        let l = row.line;
        Self {
            tenant_id,
            member_id: row.member_id,
            import_id,
            service_month: i64::from(l.service_month.number()),
            patient_name: &l.patient_name,
            relationship: l.relationship.code(),
            provider_name: &l.provider_name,
            category: l.category.code(),
            days: i64::from(l.days),
            total_cost: l.total_cost,
            paid_amount: l.paid_amount,
            public_paid: l.public_paid,
            reimbursed_amount: l.reimbursed_amount,
        }
    }
}

/// Stores a batch of rows of one import; how many.
pub fn insert(
    conn: &mut Conn,
    tenant_id: &str,
    import_id: &str,
    rows: &[NewExpense<'_>],
) -> Result<usize, StoreError> {
    let values: Vec<Values<'_>> = rows
        .iter()
        .map(|r| Values::of(tenant_id, import_id, r))
        .collect();
    let mut inserted = 0;
    match conn {
        // COPY in its binary format: no statement to parse and plan, no parameter limit.
        Conn::Postgresql(pg) => {
            inserted += diesel::copy_from(e::table)
                .from_insertable(&values)
                .execute(pg)?;
        }
        Conn::Sqlite(lite) => {
            for row in &values {
                inserted += InsertOne(row).execute(lite)?;
            }
        }
    }
    Ok(inserted)
}

/// SQLite: one prepared statement run per row, found in diesel's cache by its type (no SQL
/// written out per row, no 26,000-placeholder statements): the cheapest insert SQLite has.
struct InsertOne<'a>(&'a Values<'a>);

impl diesel::query_builder::QueryId for InsertOne<'_> {
    type QueryId = InsertOne<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> for InsertOne<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Text};
        let v = self.0;
        out.push_sql(
            "INSERT INTO medical_expenses (tenant_id, member_id, import_id, service_month, \
             patient_name, relationship, provider_name, category, days, total_cost, \
             paid_amount, public_paid, reimbursed_amount) VALUES (",
        );
        out.push_bind_param::<Text, _>(v.tenant_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(v.member_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(v.import_id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&v.service_month)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(v.patient_name)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(v.relationship)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(v.provider_name)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(v.category)?;
        for number in [
            &v.days,
            &v.total_cost,
            &v.paid_amount,
            &v.public_paid,
            &v.reimbursed_amount,
        ] {
            out.push_sql(", ");
            out.push_bind_param::<BigInt, _>(number)?;
        }
        out.push_sql(")");
        Ok(())
    }
}

impl RunQueryDsl<diesel::SqliteConnection> for InsertOne<'_> {}

/// What an import did, for the audit trail and `medical-expenses imports` (no medical data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub id: String,
    pub tenant_id: String,
    pub file_name: String,
    /// The service months it replaced, ascending.
    pub months: Vec<ServiceMonth>,
    pub rows: u64,
    pub households: u64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

pub fn record_import(conn: &mut Conn, import: &Import) -> Result<(), StoreError> {
    let months: Vec<String> = import
        .months
        .iter()
        .map(|m| m.number().to_string())
        .collect();
    diesel::insert_into(i::table)
        .values((
            i::id.eq(&import.id),
            i::tenant_id.eq(&import.tenant_id),
            i::file_name.eq(&import.file_name),
            i::months.eq(months.join(",")),
            i::rows_imported.eq(i64::try_from(import.rows).unwrap_or(i64::MAX)),
            i::households.eq(i64::try_from(import.households).unwrap_or(i64::MAX)),
            i::created_by.eq(&import.created_by),
            i::created_at.eq(to_db(import.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The tenant's imports, newest first.
pub fn imports(conn: &mut Conn, tenant_id: &str) -> Result<Vec<Import>, StoreError> {
    type ImportRow = (
        String,
        String,
        String,
        String,
        i64,
        i64,
        String,
        chrono::NaiveDateTime,
    );
    let rows: Vec<ImportRow> = i::table
        .filter(i::tenant_id.eq(tenant_id))
        .order((i::created_at.desc(), i::id.desc()))
        .select((
            i::id,
            i::tenant_id,
            i::file_name,
            i::months,
            i::rows_imported,
            i::households,
            i::created_by,
            i::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, tenant_id, file_name, months, rows, households, created_by, created_at)| Import {
                id,
                tenant_id,
                file_name,
                months: months
                    .split(',')
                    .filter_map(|m| m.parse().ok().and_then(ServiceMonth::from_number))
                    .collect(),
                rows: u64::try_from(rows).unwrap_or(0),
                households: u64::try_from(households).unwrap_or(0),
                created_by,
                created_at: crate::time::from_db(created_at),
            },
        )
        .collect())
}

/// One row of [`year_query!`].
pub(crate) type LineRow = (i64, String, String, String, String, i64, i64, i64, i64, i64);

fn line_of(row: LineRow) -> Option<Line> {
    let (
        month,
        patient_name,
        relationship,
        provider_name,
        category,
        days,
        total,
        paid,
        public,
        back,
    ) = row;
    Some(Line {
        service_month: ServiceMonth::from_number(month)?,
        patient_name,
        relationship: Relationship::from_code(&relationship)?,
        provider_name,
        category: Category::from_code(&category)?,
        days: u32::try_from(days).ok()?,
        total_cost: total,
        paid_amount: paid,
        public_paid: public,
        reimbursed_amount: back,
    })
}

/// The lines of [`year_query!`]'s rows.
pub(crate) fn lines_of(rows: Vec<LineRow>) -> Vec<Line> {
    rows.into_iter().filter_map(line_of).collect()
}

/// The household of `$member_id`'s rows of `$year`, by service month and then in file order,
/// as one query for both backends and both connection kinds ([`household_year`], and
/// `reads::SessionReads::household` on PostgreSQL's asynchronous connections).
macro_rules! year_query {
    ($member_id:expr, $year:expr) => {{
        use $crate::schema::medical_expenses as e;
        let year = i64::from($year);
        e::table
            .filter(e::member_id.eq($member_id))
            .filter(e::service_month.between(year * 100, year * 100 + 99))
            .order((e::service_month.asc(), e::id.asc()))
            .select((
                e::service_month,
                e::patient_name,
                e::relationship,
                e::provider_name,
                e::category,
                e::days,
                e::total_cost,
                e::paid_amount,
                e::public_paid,
                e::reimbursed_amount,
            ))
    }};
}
pub(crate) use year_query;

/// The service months the household of `$member_id` has rows in (see [`years_of`]).
macro_rules! months_query {
    ($member_id:expr) => {{
        use $crate::schema::medical_expenses as e;
        e::table
            .filter(e::member_id.eq($member_id))
            .select(e::service_month)
            .distinct()
    }};
}
pub(crate) use months_query;

/// The years of [`months_query!`]'s months, latest first.
pub(crate) fn years_of(months: Vec<i64>) -> Vec<i32> {
    let mut years: Vec<i32> = months
        .into_iter()
        .filter_map(|m| i32::try_from(m / 100).ok())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}

/// The household's lines of `year`, by service month and then in file order.
pub fn household_year(
    conn: &mut Conn,
    member_id: &str,
    year: i32,
) -> Result<Vec<Line>, StoreError> {
    let rows: Vec<LineRow> = on_backend!(conn, |c| year_query!(member_id, year).load(c))?;
    Ok(lines_of(rows))
}

/// The years the household has rows in, latest first.
pub fn household_years(conn: &mut Conn, member_id: &str) -> Result<Vec<i32>, StoreError> {
    let months: Vec<i64> = on_backend!(conn, |c| months_query!(member_id).load(c))?;
    Ok(years_of(months))
}

/// The active accounts among `member_ids` that asked for update e-mails.
pub fn recipients(conn: &mut Conn, member_ids: &[&str]) -> Result<Vec<Recipient>, StoreError> {
    let mut out = Vec::new();
    for chunk in member_ids.chunks(500) {
        let rows: Vec<(String, Option<String>)> = a::table
            .filter(a::member_id.eq_any(chunk))
            .filter(a::state.eq(AccountState::Active.as_str()))
            .filter(a::notify_on_update.eq(true))
            .filter(a::email.is_not_null())
            .filter(a::email.ne(""))
            .order(a::id.asc())
            .select((a::id, a::email))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(account_id, email)| Recipient {
            account_id,
            email: email.unwrap_or_default(),
        }));
    }
    Ok(out)
}

/// Housekeeping: deletes every tenant's rows older than its `medical_months`; how many.
pub fn purge_expired(conn: &mut Conn, today: NaiveDate) -> Result<usize, StoreError> {
    let mut deleted = 0;
    for tenant in tenants::list(conn)? {
        let first = ServiceMonth::retention_start(today, tenant.medical_months);
        deleted += diesel::delete(
            e::table
                .filter(e::tenant_id.eq(&tenant.id))
                .filter(e::service_month.lt(i64::from(first.number()))),
        )
        .execute(conn)?;
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests;
