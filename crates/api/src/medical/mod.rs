//! `/me/medical-expenses`: 医療費のお知らせ, what the kenpo paid for the household's care, and
//! its download for the tax return's 医療費控除 (DESIGN §10, ADR 0022).

mod export;
mod year;

pub use export::*;
pub use year::*;

use madoguchi_domain::FieldCode;
use madoguchi_domain::medical::{self, Line, PatientTotals, Statement, Totals};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, FieldIssue};

/// `?year=YYYY`: a calendar year of service months.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// The year of the service months (診療年月), e.g. `2026`. Without it: the latest year
    /// with data.
    #[param(example = 2026)]
    pub year: Option<String>,
}

impl YearQuery {
    /// The year, NFKC-normalised (full-width digits read): 2000–9999, else a 422 on `year`.
    pub fn year(&self) -> Result<Option<i32>, ApiError> {
        let Some(raw) = self.year.as_deref() else {
            return Ok(None);
        };
        let text = madoguchi_domain::normalize::normalize(raw);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<i32>()
            .ok()
            .filter(|y| (medical::YEAR_MIN..=9999).contains(y) && text.len() == 4)
            .map(Some)
            .ok_or_else(|| {
                ApiError::field(FieldIssue::new(
                    "year",
                    FieldCode::Invalid,
                    "年は 2026 のように西暦 4 桁で指定してください。",
                    "Give the year as four digits, e.g. 2026.",
                ))
            })
    }
}

/// 保険者: the kenpo that issued the notice.
#[derive(Debug, Serialize, ToSchema)]
pub struct Insurer<'a> {
    /// 保険者等の名称.
    pub name: &'a str,
    /// 保険者番号 (8 digits).
    pub insurer_number: &'a str,
}

/// One month's care at one provider for one person of the household.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpenseRow<'a> {
    /// 診療年月, `YYYY-MM`.
    #[schema(example = "2026-11")]
    pub service_month: String,
    /// 療養を受けた者, exactly as the kenpo's file has it.
    pub patient_name: &'a str,
    /// 続柄: `insured` (本人) or `dependent` (家族).
    #[schema(example = "dependent")]
    pub relationship: &'static str,
    /// 医療機関・薬局の名称, exactly as the kenpo's file has it.
    pub provider_name: &'a str,
    /// 区分: `inpatient` 入院, `outpatient` 外来, `dental` 歯科, `pharmacy` 調剤,
    /// `home_nursing` 訪問看護.
    #[schema(example = "outpatient")]
    pub category: &'static str,
    /// 日数.
    pub days: u32,
    /// 医療費総額 in yen.
    pub total_cost: i64,
    /// 窓口負担額: what was paid at the counter, in yen.
    pub paid_amount: i64,
    /// 公費負担額 (national or local public funds), in yen.
    pub public_paid: i64,
    /// 高額療養費・付加給付: paid back to the member later, in yen.
    pub reimbursed_amount: i64,
}

impl<'a> From<&'a Line> for ExpenseRow<'a> {
    fn from(l: &'a Line) -> Self {
        Self {
            service_month: l.service_month.iso(),
            patient_name: &l.patient_name,
            relationship: l.relationship.code(),
            provider_name: &l.provider_name,
            category: l.category.code(),
            days: l.days,
            total_cost: l.total_cost,
            paid_amount: l.paid_amount,
            public_paid: l.public_paid,
            reimbursed_amount: l.reimbursed_amount,
        }
    }
}

/// Sums in yen.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpenseTotals {
    pub total_cost: i64,
    pub paid_amount: i64,
    pub public_paid: i64,
    pub reimbursed_amount: i64,
}

impl From<Totals> for ExpenseTotals {
    fn from(t: Totals) -> Self {
        Self {
            total_cost: t.total_cost,
            paid_amount: t.paid_amount,
            public_paid: t.public_paid,
            reimbursed_amount: t.reimbursed_amount,
        }
    }
}

/// One person's sums of the year.
#[derive(Debug, Serialize, ToSchema)]
pub struct PatientRow {
    pub patient_name: String,
    /// `insured` or `dependent`.
    pub relationship: &'static str,
    pub total_cost: i64,
    pub paid_amount: i64,
    pub public_paid: i64,
    pub reimbursed_amount: i64,
}

impl From<PatientTotals> for PatientRow {
    fn from(p: PatientTotals) -> Self {
        Self {
            patient_name: p.patient_name,
            relationship: p.relationship.code(),
            total_cost: p.totals.total_cost,
            paid_amount: p.totals.paid_amount,
            public_paid: p.totals.public_paid,
            reimbursed_amount: p.totals.reimbursed_amount,
        }
    }
}

/// The household's year of 医療費のお知らせ.
#[derive(Debug, Serialize, ToSchema)]
pub struct MedicalExpenses<'a> {
    /// The year shown.
    pub year: i32,
    /// The years with data, latest first (empty when nothing is posted yet).
    pub available_years: Vec<i32>,
    pub insurer: Insurer<'a>,
    /// 被保険者等の氏名: the insured person of this account.
    pub insured_name: &'a str,
    /// By service month, then as the kenpo imported them.
    pub rows: Vec<ExpenseRow<'a>>,
    pub totals: ExpenseTotals,
    /// Per person: the insured person first.
    pub by_patient: Vec<PatientRow>,
}

impl<'a> MedicalExpenses<'a> {
    pub fn of(statement: &'a Statement, available_years: Vec<i32>) -> Self {
        Self {
            year: statement.year,
            available_years,
            insurer: Insurer {
                name: &statement.insurer_name,
                insurer_number: &statement.insurer_number,
            },
            insured_name: &statement.insured_name,
            rows: statement.lines.iter().map(ExpenseRow::from).collect(),
            totals: medical::totals(&statement.lines).into(),
            by_patient: medical::by_patient(&statement.lines)
                .into_iter()
                .map(PatientRow::from)
                .collect(),
        }
    }
}
