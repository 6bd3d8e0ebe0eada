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
use madoguchi_persistence::reads::SessionReads;
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
/// latest year with data, else the current year (then with no lines). On the worker's own
/// asynchronous connections where it has them and they serve (PostgreSQL, ADR 0019), else on
/// one connection of the pool (on SQLite, on the worker: ADR 0012).
pub async fn statement(
    state: &Services,
    reads: Option<&SessionReads>,
    view: &AccountView,
    year: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(Statement, Vec<i32>), AppError> {
    let member_id = view.member.id.clone();
    let this_year = now.with_timezone(&madoguchi_domain::calendar::Tokyo).year();
    let read = match reads {
        Some(reads) => {
            state
                .read_async(reads.household(&member_id, year, this_year))
                .await?
        }
        None => None,
    };
    let (year, lines, years) = match read {
        Some(read) => read,
        None => {
            state
                .read(move |c| {
                    let years = store::household_years(c, &member_id)?;
                    let year = year.or(years.first().copied()).unwrap_or(this_year);
                    let lines = store::household_year(c, &member_id, year)?;
                    Ok((year, lines, years))
                })
                .await?
        }
    };
    let insured_name = view.member.full_name();
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use madoguchi_domain::insurer_number::InsurerNumber;
    use madoguchi_domain::medical::{ExpenseInput, Line, totals};
    use madoguchi_domain::roster::{RosterEntry, RosterInput};
    use madoguchi_persistence::testing::TestDatabase;
    use madoguchi_persistence::{members, tenants};
    use proptest::prelude::*;

    use super::*;

    const CODES: [&str; 3] = ["1-1", "1-2", "1-3"];

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default()
    }

    /// A row: (member, month 2026-09..=11, patient, total, paid share %).
    fn read_rows(rows: &[(usize, u32, usize, i64, i64)]) -> Vec<ReadRow> {
        rows.iter()
            .enumerate()
            .map(|(i, &(member, month, patient, total, share))| {
                let (month, total_s, paid) = (
                    format!("2026{month:02}"),
                    total.to_string(),
                    (total * share / 100).to_string(),
                );
                let patient = format!("髙橋 {patient}");
                let input = ExpenseInput {
                    member_code: CODES[member],
                    patient_name: &patient,
                    relationship: "家族",
                    service_month: &month,
                    provider_name: "﨑山医院",
                    category: "外来",
                    days: "1",
                    total_cost: &total_s,
                    paid_amount: &paid,
                    ..Default::default()
                };
                let parsed = Expense::parse(input, today()).map_err(|e| vec![format!("{e:?}")]);
                (i as u64 + 2, parsed)
            })
            .collect()
    }

    fn lines(conn: &mut Conn, ids: &HashMap<String, String>) -> Vec<Vec<Line>> {
        CODES
            .iter()
            .map(|c| store::household_year(conn, &ids[*c], 2026).unwrap_or_default())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Importing a file twice leaves what importing it once left, and each household's
        /// total is the sum of its rows in the file.
        #[test]
        fn a_reimport_is_idempotent_and_totals_are_the_files_sums(
            rows in proptest::collection::vec(
                (0usize..3, 9u32..=11, 0usize..3, 0i64..1_000_000, 0i64..=100), 1..40)
        ) {
            let db = TestDatabase::sqlite();
            let mut conn = db.conn();
            let now = Utc::now();
            let tenant = tenants::insert(&mut conn, &InsurerNumber::parse("06130090").unwrap(), "組合", now).unwrap();
            let roster: Vec<RosterEntry> = CODES.iter().map(|code| RosterEntry::parse(RosterInput {
                member_code: code, family_name: "髙橋", given_name: "", family_name_kana: "",
                given_name_kana: "", birth_date: "19790822", postal_code: "", address: "",
            }, today()).unwrap()).collect();
            members::import(&mut conn, &tenant.id, &roster, false, now).unwrap();
            let ids = store::member_ids(&mut conn, &tenant.id).unwrap();
            let cx = ImportContext {
                tenant: &tenant, file_name: "f.csv", created_by: "test", public_url: "http://localhost",
                mail_domain: "localhost", lang: Lang::Ja, now,
            };
            let first = import(&mut conn, &cx, read_rows(&rows).into_iter());
            prop_assert!(first.is_ok());
            let once = lines(&mut conn, &ids);
            let second = import(&mut conn, &cx, read_rows(&rows).into_iter());
            prop_assert_eq!(second.map(|s| (s.rows, s.replaced)).ok(), Some((rows.len() as u64, rows.len() as u64)));
            prop_assert_eq!(lines(&mut conn, &ids), once.clone());
            for (member, stored) in once.iter().enumerate() {
                let expected: i64 = rows.iter().filter(|r| r.0 == member).map(|r| r.3 * r.4 / 100).sum();
                prop_assert_eq!(totals(stored).paid_amount, expected);
            }
        }
    }
}
