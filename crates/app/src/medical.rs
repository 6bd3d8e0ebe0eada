//! 医療費のお知らせ (medical expenses, DESIGN §10, ADR 0022): the operator's import and the
//! member's year.
//!
//! An import is one transaction: rows are checked and stored as they stream in (batches of
//! [`BATCH`], so a file of a million rows never sits in memory), the first sight of a service
//! month deletes the tenant's earlier rows of that month, and any bad row rolls all of it back
//! while the rest of the file is still checked, so the operator gets every bad line at once.
//! The e-mail to the households that got rows is queued in the same transaction.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Datelike, Utc};
use madoguchi_domain::Lang;
use madoguchi_domain::medical::{Expense, Problem, ServiceMonth, Statement};
use madoguchi_persistence::accounts::AccountView;
use madoguchi_persistence::medical::{self as store, Import, NewExpense};
use madoguchi_persistence::tenants::Tenant;
use madoguchi_persistence::{Conn, StoreError, write_tx};

use crate::error::AppError;
use crate::mail::{self, templates};
use crate::services::Services;

/// Rows stored per batch.
pub const BATCH: usize = 2_000;
/// Bad rows reported in full; the rest are counted.
pub const BAD_ROWS_SHOWN: usize = 200;

/// One row of the file as the reader parsed it: its physical line and the rule's verdict
/// (problems already worded for the operator as `column: message`).
pub type ReadRow = (u64, Result<Expense, Vec<String>>);

/// What a successful import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub import_id: String,
    pub rows: u64,
    /// The service months the file carried, ascending (their earlier rows were replaced).
    pub months: Vec<ServiceMonth>,
    /// Rows of those months that the import replaced.
    pub replaced: u64,
    pub households: u64,
    /// E-mails queued (one per household whose member asked for them).
    pub mails: u64,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportFailure {
    /// Bad rows: the first [`BAD_ROWS_SHOWN`] as (line, problems), and how many in all.
    Rows {
        shown: Vec<(u64, Vec<String>)>,
        total: u64,
    },
    /// The file has no data row.
    Empty,
    Store(StoreError),
}

impl From<StoreError> for ImportFailure {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// Who runs an import and where its e-mails point.
pub struct ImportContext<'a> {
    pub tenant: &'a Tenant,
    pub file_name: &'a str,
    pub created_by: &'a str,
    pub public_url: &'a str,
    pub mail_domain: &'a str,
    pub lang: Lang,
    pub now: DateTime<Utc>,
}

/// Imports the rows all or nothing.
pub fn import(
    conn: &mut Conn,
    cx: &ImportContext<'_>,
    rows: impl Iterator<Item = ReadRow>,
) -> Result<Summary, ImportFailure> {
    write_tx(conn, |c| {
        let members = store::member_ids(c, &cx.tenant.id)?;
        let import_id = uuid::Uuid::now_v7().to_string();
        let mut run = Run {
            members: &members,
            tenant_id: &cx.tenant.id,
            import_id: &import_id,
            months: BTreeSet::new(),
            households: HashSet::new(),
            batch: Vec::with_capacity(BATCH),
            rows: 0,
            replaced: 0,
            shown: Vec::new(),
            bad: 0,
        };
        for (line, row) in rows {
            match row {
                Ok(expense) => run.accept(c, line, expense, cx.lang)?,
                Err(problems) => run.reject(line, problems),
            }
        }
        if run.bad > 0 {
            return Err(ImportFailure::Rows {
                shown: run.shown,
                total: run.bad,
            });
        }
        run.flush(c)?;
        if run.rows == 0 {
            return Err(ImportFailure::Empty);
        }
        let households: Vec<&str> = run.households.iter().copied().collect();
        let link = link(cx.public_url);
        let mut mails = 0;
        for recipient in store::recipients(c, &households)? {
            let message =
                templates::medical_expenses_posted(&recipient.email, &cx.tenant.name, &link);
            mail::enqueue(c, &message, cx.tenant, cx.mail_domain, cx.now)?;
            mails += 1;
        }
        let record = Import {
            id: import_id.clone(),
            tenant_id: cx.tenant.id.clone(),
            file_name: cx.file_name.to_owned(),
            months: run.months.iter().copied().collect(),
            rows: run.rows,
            households: households.len() as u64,
            created_by: cx.created_by.to_owned(),
            created_at: cx.now,
        };
        store::record_import(c, &record)?;
        Ok(Summary {
            import_id: import_id.clone(),
            rows: run.rows,
            months: record.months,
            replaced: run.replaced,
            households: record.households,
            mails,
        })
    })
}

/// The state of one import as it streams.
struct Run<'a> {
    members: &'a HashMap<String, String>,
    tenant_id: &'a str,
    import_id: &'a str,
    months: BTreeSet<ServiceMonth>,
    households: HashSet<&'a str>,
    /// Rows waiting to be stored: (member ID, expense).
    batch: Vec<(&'a str, Expense)>,
    rows: u64,
    replaced: u64,
    shown: Vec<(u64, Vec<String>)>,
    bad: u64,
}

impl<'a> Run<'a> {
    fn accept(
        &mut self,
        c: &mut Conn,
        line: u64,
        expense: Expense,
        lang: Lang,
    ) -> Result<(), StoreError> {
        let Some(member_id) = self.members.get(expense.member_code.as_str()) else {
            let message = Problem::UnknownMember.message(lang);
            self.reject(line, vec![format!("member_code: {message}")]);
            return Ok(());
        };
        if self.bad > 0 {
            return Ok(()); // nothing will be kept: only check the rest
        }
        let month = expense.line.service_month;
        if self.months.insert(month) {
            self.flush(c)?;
            self.replaced += store::replace_month(c, self.tenant_id, month)? as u64;
        }
        self.households.insert(member_id);
        self.batch.push((member_id, expense));
        if self.batch.len() >= BATCH {
            self.flush(c)?;
        }
        Ok(())
    }

    fn reject(&mut self, line: u64, problems: Vec<String>) {
        self.bad += 1;
        self.batch.clear();
        if self.shown.len() < BAD_ROWS_SHOWN {
            self.shown.push((line, problems));
        }
    }

    fn flush(&mut self, c: &mut Conn) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let rows: Vec<NewExpense<'_>> = self
            .batch
            .iter()
            .map(|(member_id, e)| NewExpense {
                member_id,
                line: &e.line,
            })
            .collect();
        self.rows += store::insert(c, self.tenant_id, self.import_id, &rows)? as u64;
        self.batch.clear();
        Ok(())
    }
}

/// The member's link to the screen (in the e-mail).
pub fn link(public_url: &str) -> String {
    format!("{}/menu/medical", public_url.trim_end_matches('/'))
}

/// The household's year and the years it has data for (latest first). Without `year`, the
/// latest year with data, else the current year (then with no lines).
pub async fn statement(
    state: &Services,
    view: &AccountView,
    year: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(Statement, Vec<i32>), AppError> {
    let member_id = view.member.id.clone();
    let this_year = now.with_timezone(&madoguchi_domain::calendar::Tokyo).year();
    let (year, lines, years) = state
        .db(move |c| {
            let years = store::household_years(c, &member_id)?;
            let year = year.or(years.first().copied()).unwrap_or(this_year);
            let lines = store::household_year(c, &member_id, year)?;
            Ok((year, lines, years))
        })
        .await?;
    let member = &view.member;
    let insured_name = [member.family_name.as_str(), member.given_name.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    Ok((
        Statement {
            year,
            insurer_name: view.tenant.name.clone(),
            insurer_number: view.tenant.insurer_number.clone(),
            insured_name,
            lines,
        },
        years,
    ))
}
