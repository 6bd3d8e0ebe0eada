//! 医療費のお知らせ (medical-expense notices, DESIGN §10, ADR 0022): what the kenpo paid for
//! each visit of the household, imported per month from its claims system, and what the
//! National Tax Agency asks of such a notice when a member files it for 医療費控除.
//!
//! Names (療養を受けた者, 医療機関・薬局の名称) are kept exactly as decoded, only trimmed, like
//! the roster's (a tax office compares them with the receipts). Codes, months and amounts are
//! NFKC-normalised and trimmed, so full-width digits from a spreadsheet read as digits.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::error::{Lang, RuleError};
use crate::normalize::normalize;
use crate::roster::MemberCode;

/// The longest patient or provider name, in characters.
pub const NAME_MAX: usize = 100;
/// The largest amount in yen a row may carry (ten billion: more is a typo).
pub const AMOUNT_MAX: i64 = 10_000_000_000;
/// The most days of treatment a month has.
pub const DAYS_MAX: u32 = 31;
/// The earliest year a service month may fall in.
pub const YEAR_MIN: i32 = 2000;

macro_rules! labelled {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $ja:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &[Self] = &[$(Self::$variant),+];

            /// The stable code stored and answered by the API.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            /// The word the kenpo's file and the member's screen use.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Self::$variant, Lang::Ja) => $ja, (Self::$variant, Lang::En) => $en),+
                }
            }

            /// The Japanese word or the code (NFKC, trimmed).
            pub fn parse(raw: &str) -> Option<Self> {
                let text = normalize(raw);
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| text == v.label(Lang::Ja) || text == v.code())
            }

            /// The stored code back (`None` for one this version does not know).
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

labelled! {
    /// 区分: where the care was given.
    Category {
        Inpatient => "inpatient", "入院", "inpatient";
        Outpatient => "outpatient", "外来", "outpatient";
        Dental => "dental", "歯科", "dental";
        Pharmacy => "pharmacy", "調剤", "pharmacy";
        HomeNursing => "home_nursing", "訪問看護", "home nursing";
    }
}

labelled! {
    /// 続柄: the insured person (本人) or a dependent (家族, 被扶養者).
    Relationship {
        Insured => "insured", "本人", "insured";
        Dependent => "dependent", "家族", "dependent";
    }
}

/// 医療費の区分 of the NTA's 医療費集計フォーム.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxClass {
    /// 診療・治療
    Treatment,
    /// 医薬品購入
    Medicine,
}

impl TaxClass {
    pub fn label(self) -> &'static str {
        match self {
            Self::Treatment => "診療・治療",
            Self::Medicine => "医薬品購入",
        }
    }
}

impl Category {
    /// The form's 医療費の区分: a pharmacy's dispensing is 医薬品購入, the rest 診療・治療.
    pub fn tax_class(self) -> TaxClass {
        match self {
            Self::Pharmacy => TaxClass::Medicine,
            _ => TaxClass::Treatment,
        }
    }
}

/// 診療年月: a calendar month, stored as the number YYYYMM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceMonth(u32);

impl ServiceMonth {
    /// `YYYYMM`, `YYYY-MM` or `YYYY/MM` (full-width digits too), from [`YEAR_MIN`] to the
    /// month of `today`.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, Problem> {
        let text = normalize(raw);
        if text.is_empty() {
            return Err(Problem::Required);
        }
        let digits: String = match text.split_once(['-', '/']) {
            Some((y, m)) if y.len() == 4 && (1..=2).contains(&m.len()) => format!("{y}{m:0>2}"),
            Some(_) => return Err(Problem::MonthFormat),
            None => text,
        };
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Problem::MonthFormat);
        }
        let value: u32 = digits.parse().map_err(|_| Problem::MonthFormat)?;
        let month = Self(value);
        if !(1..=12).contains(&month.month()) || month.year() < YEAR_MIN {
            return Err(Problem::MonthFormat);
        }
        if month > Self::of(today) {
            return Err(Problem::MonthFuture);
        }
        Ok(month)
    }

    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self(date.year().unsigned_abs() * 100 + date.month())
    }

    /// The stored number back; `None` when it is not a month.
    pub fn from_number(value: i64) -> Option<Self> {
        let value = u32::try_from(value).ok()?;
        let month = Self(value);
        ((1..=12).contains(&month.month())).then_some(month)
    }

    pub fn number(self) -> u32 {
        self.0
    }

    pub fn year(self) -> i32 {
        i32::try_from(self.0 / 100).unwrap_or(0)
    }

    pub fn month(self) -> u32 {
        self.0 % 100
    }

    /// The month `n` months before `today`'s (0: `today`'s own).
    pub fn months_before(today: NaiveDate, n: u32) -> Self {
        let index = i64::from(today.year()) * 12 + i64::from(today.month0()) - i64::from(n);
        let (year, month0) = (index.div_euclid(12), index.rem_euclid(12));
        Self(u32::try_from(year * 100 + month0 + 1).unwrap_or(0))
    }

    /// The first month of a retention of `months` months that ends with `today`'s month:
    /// rows of earlier months are deleted.
    pub fn retention_start(today: NaiveDate, months: u32) -> Self {
        Self::months_before(today, months.max(1) - 1)
    }

    /// `2026-11` (the API's and the export's form).
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }

    /// `2026年11月`.
    pub fn japanese(self) -> String {
        format!("{}年{}月", self.year(), self.month())
    }
}

/// Why a cell of an import row was refused. Operators read these, in the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    MemberCode(RuleError),
    /// The member code is not in the tenant's roster (found by the importer).
    UnknownMember,
    MonthFormat,
    MonthFuture,
    Category,
    Relationship,
    TooLong {
        max: usize,
    },
    Characters,
    Days,
    Amount,
    PaidOverTotal,
    PublicOverTotal,
    ReimbursedOverPaid,
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::Required if ja => "空です。値を入れてください。".into(),
            Self::Required => "empty; fill it in.".into(),
            Self::MemberCode(e) => e.message(lang),
            Self::UnknownMember if ja => {
                "名簿にない member_code です。先に members import で名簿を取り込んでください。"
                    .into()
            }
            Self::UnknownMember => {
                "not in the tenant's roster; import the roster first (members import).".into()
            }
            Self::MonthFormat if ja => format!(
                "診療年月は YYYYMM（例 202611）で、{YEAR_MIN}年1月以降の実在する月にしてください。"
            ),
            Self::MonthFormat => {
                format!("the service month is YYYYMM (e.g. 202611), a real month from {YEAR_MIN}.")
            }
            Self::MonthFuture if ja => "診療年月が未来の月です。".into(),
            Self::MonthFuture => "the service month is in the future.".into(),
            Self::Category if ja => "区分は 入院、外来、歯科、調剤、訪問看護 のいずれかです。".into(),
            Self::Category => {
                "the category is one of 入院, 外来, 歯科, 調剤, 訪問看護 (or inpatient, outpatient, dental, pharmacy, home_nursing).".into()
            }
            Self::Relationship if ja => "続柄は 本人 または 家族 です。".into(),
            Self::Relationship => {
                "the relationship is 本人 or 家族 (or insured, dependent).".into()
            }
            Self::TooLong { max } if ja => format!("{max} 文字以内にしてください。"),
            Self::TooLong { max } => format!("at most {max} characters."),
            Self::Characters if ja => "改行やタブなどの制御文字は使えません。".into(),
            Self::Characters => "control characters (line breaks, tabs) are not allowed.".into(),
            Self::Days if ja => format!("日数は 0 から {DAYS_MAX} までの整数です。"),
            Self::Days => format!("days is a whole number from 0 to {DAYS_MAX}."),
            Self::Amount if ja => format!(
                "金額は 0 以上 {AMOUNT_MAX} 以下の整数（円）です。桁区切りのカンマは使えます。"
            ),
            Self::Amount => format!(
                "an amount is a whole number of yen from 0 to {AMOUNT_MAX} (thousands commas are fine)."
            ),
            Self::PaidOverTotal if ja => "窓口負担額が医療費総額を超えています。".into(),
            Self::PaidOverTotal => "paid_amount exceeds total_cost.".into(),
            Self::PublicOverTotal if ja => {
                "公費負担額と窓口負担額の合計が医療費総額を超えています。".into()
            }
            Self::PublicOverTotal => "public_paid plus paid_amount exceeds total_cost.".into(),
            Self::ReimbursedOverPaid if ja => "補填額が窓口負担額を超えています。".into(),
            Self::ReimbursedOverPaid => "reimbursed_amount exceeds paid_amount.".into(),
        }
    }
}

/// One row of the import file as read, before any rule is applied. Optional columns the file
/// lacks are empty.
#[derive(Clone, Copy, Default)]
pub struct ExpenseInput<'a> {
    pub member_code: &'a str,
    pub patient_name: &'a str,
    pub relationship: &'a str,
    pub service_month: &'a str,
    pub provider_name: &'a str,
    pub category: &'a str,
    pub days: &'a str,
    pub total_cost: &'a str,
    pub paid_amount: &'a str,
    pub public_paid: &'a str,
    pub reimbursed_amount: &'a str,
}

/// Medical data stays out of `{:?}` (log lines, panics).
impl std::fmt::Debug for ExpenseInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExpenseInput { .. }")
    }
}

/// One month's care at one provider for one person of the household, as stored and shown.
#[derive(Clone, PartialEq, Eq)]
pub struct Line {
    pub service_month: ServiceMonth,
    /// 療養を受けた者, as decoded.
    pub patient_name: String,
    pub relationship: Relationship,
    /// 医療機関・薬局の名称, as decoded.
    pub provider_name: String,
    pub category: Category,
    pub days: u32,
    /// 医療費総額 (10割).
    pub total_cost: i64,
    /// 窓口負担額: what the member paid at the counter.
    pub paid_amount: i64,
    /// 公費負担額 (国・自治体).
    pub public_paid: i64,
    /// 高額療養費・付加給付: paid back to the member later.
    pub reimbursed_amount: i64,
}

/// Medical data stays out of `{:?}` (log lines, panics).
impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Line({} ..)", self.service_month.number())
    }
}

/// A row that passed the rules: the insured person whose household it belongs to, and the line.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Expense {
    pub member_code: MemberCode,
    pub line: Line,
}

impl Expense {
    /// Applies the rules to one row and reports every failing column at once.
    pub fn parse(
        input: ExpenseInput<'_>,
        today: NaiveDate,
    ) -> Result<Self, Vec<(&'static str, Problem)>> {
        let mut errors = Vec::new();
        let mut check = |field: &'static str, result: Result<(), Problem>| {
            if let Err(p) = result {
                errors.push((field, p));
            }
        };
        let mut member_code = None;
        check(
            "member_code",
            MemberCode::parse(input.member_code)
                .map(|c| member_code = Some(c))
                .map_err(|e| match e {
                    RuleError::Required => Problem::Required,
                    e => Problem::MemberCode(e),
                }),
        );
        let mut patient_name = String::new();
        check(
            "patient_name",
            name(input.patient_name).map(|n| patient_name = n),
        );
        let mut relationship = None;
        check(
            "relationship",
            required(input.relationship).and_then(|r| {
                relationship = Some(Relationship::parse(r).ok_or(Problem::Relationship)?);
                Ok(())
            }),
        );
        let mut service_month = None;
        check(
            "service_month",
            ServiceMonth::parse(input.service_month, today).map(|m| service_month = Some(m)),
        );
        let mut provider_name = String::new();
        check(
            "provider_name",
            name(input.provider_name).map(|n| provider_name = n),
        );
        let mut category = None;
        check(
            "category",
            required(input.category).and_then(|c| {
                category = Some(Category::parse(c).ok_or(Problem::Category)?);
                Ok(())
            }),
        );
        let mut days = 0;
        check(
            "days",
            amount(input.days, true).and_then(|d| {
                days = u32::try_from(d)
                    .ok()
                    .filter(|d| *d <= DAYS_MAX)
                    .ok_or(Problem::Days)?;
                Ok(())
            }),
        );
        let mut amounts = [0i64; 4];
        for (i, (field, raw, needed)) in [
            ("total_cost", input.total_cost, true),
            ("paid_amount", input.paid_amount, true),
            ("public_paid", input.public_paid, false),
            ("reimbursed_amount", input.reimbursed_amount, false),
        ]
        .into_iter()
        .enumerate()
        {
            check(field, amount(raw, needed).map(|a| amounts[i] = a));
        }
        let [total_cost, paid_amount, public_paid, reimbursed_amount] = amounts;
        if paid_amount > total_cost {
            check("paid_amount", Err(Problem::PaidOverTotal));
        } else if public_paid > total_cost - paid_amount {
            check("public_paid", Err(Problem::PublicOverTotal));
        }
        if reimbursed_amount > paid_amount {
            check("reimbursed_amount", Err(Problem::ReimbursedOverPaid));
        }
        match (member_code, relationship, service_month, category) {
            (Some(member_code), Some(relationship), Some(service_month), Some(category))
                if errors.is_empty() =>
            {
                Ok(Self {
                    member_code,
                    line: Line {
                        service_month,
                        patient_name,
                        relationship,
                        provider_name,
                        category,
                        days,
                        total_cost,
                        paid_amount,
                        public_paid,
                        reimbursed_amount,
                    },
                })
            }
            _ => Err(errors),
        }
    }
}

fn required(raw: &str) -> Result<&str, Problem> {
    if raw.trim().is_empty() {
        Err(Problem::Required)
    } else {
        Ok(raw)
    }
}

/// A name as printed: trimmed (the ideographic space too), never normalised.
fn name(raw: &str) -> Result<String, Problem> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    if text.chars().any(char::is_control) {
        return Err(Problem::Characters);
    }
    if text.chars().count() > NAME_MAX {
        return Err(Problem::TooLong { max: NAME_MAX });
    }
    Ok(text.to_owned())
}

/// A whole number of yen (or days): digits with optional thousands commas; empty is 0 unless
/// `needed`.
fn amount(raw: &str, needed: bool) -> Result<i64, Problem> {
    let text = normalize(raw);
    if text.is_empty() {
        return if needed {
            Err(Problem::Required)
        } else {
            Ok(0)
        };
    }
    let digits: String = text.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::Amount);
    }
    digits
        .parse::<i64>()
        .ok()
        .filter(|a| *a <= AMOUNT_MAX)
        .ok_or(Problem::Amount)
}

/// One household's year: what the member's screen, the print layout and both exports show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The calendar year of the service months.
    pub year: i32,
    /// 保険者等の名称.
    pub insurer_name: String,
    /// 保険者番号.
    pub insurer_number: String,
    /// 被保険者等の氏名: the insured person whose account this is, as in the roster.
    pub insured_name: String,
    /// The year's lines, by service month, then as imported.
    pub lines: Vec<Line>,
}

/// Sums of amounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub total_cost: i64,
    pub paid_amount: i64,
    pub public_paid: i64,
    pub reimbursed_amount: i64,
}

impl Totals {
    fn add(&mut self, line: &Line) {
        self.total_cost += line.total_cost;
        self.paid_amount += line.paid_amount;
        self.public_paid += line.public_paid;
        self.reimbursed_amount += line.reimbursed_amount;
    }

    /// What the member bore in the end: paid at the counter less what came back.
    pub fn borne(&self) -> i64 {
        self.paid_amount - self.reimbursed_amount
    }
}

/// The sums of every line.
pub fn totals<'a>(lines: impl IntoIterator<Item = &'a Line>) -> Totals {
    let mut totals = Totals::default();
    for line in lines {
        totals.add(line);
    }
    totals
}

/// One person's sums, for the per-person totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientTotals {
    pub patient_name: String,
    pub relationship: Relationship,
    pub totals: Totals,
}

/// The sums per patient: the insured person first, then dependents, each in the order they
/// first appear.
pub fn by_patient(lines: &[Line]) -> Vec<PatientTotals> {
    let mut out: Vec<PatientTotals> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for line in lines {
        let i = *index.entry(&line.patient_name).or_insert_with(|| {
            out.push(PatientTotals {
                patient_name: line.patient_name.clone(),
                relationship: line.relationship,
                totals: Totals::default(),
            });
            out.len() - 1
        });
        out[i].totals.add(line);
    }
    out.sort_by_key(|p| p.relationship); // stable: first appearance within each group
    out
}

/// One row of the NTA's 医療費集計フォーム: a patient, a provider and a class, summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRow {
    /// 医療を受けた方の氏名
    pub patient_name: String,
    /// 病院・薬局などの支払先の名称
    pub provider_name: String,
    /// 医療費の区分
    pub class: TaxClass,
    /// 支払った医療費の金額
    pub paid_amount: i64,
    /// 左のうち補填される金額
    pub reimbursed_amount: i64,
}

/// The form's rows: one per patient, provider and class, in the order they first appear.
pub fn tax_rows(lines: &[Line]) -> Vec<TaxRow> {
    let mut out: Vec<TaxRow> = Vec::new();
    let mut index: HashMap<(&str, &str, TaxClass), usize> = HashMap::new();
    for line in lines {
        let key = (
            line.patient_name.as_str(),
            line.provider_name.as_str(),
            line.category.tax_class(),
        );
        let i = *index.entry(key).or_insert_with(|| {
            out.push(TaxRow {
                patient_name: line.patient_name.clone(),
                provider_name: line.provider_name.clone(),
                class: line.category.tax_class(),
                paid_amount: 0,
                reimbursed_amount: 0,
            });
            out.len() - 1
        });
        out[i].paid_amount += line.paid_amount;
        out[i].reimbursed_amount += line.reimbursed_amount;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default()
    }

    fn input() -> ExpenseInput<'static> {
        ExpenseInput {
            member_code: "12-345-01",
            patient_name: "髙橋 﨑子",
            relationship: "家族",
            service_month: "202611",
            provider_name: "千代田クリニック",
            category: "外来",
            days: "2",
            total_cost: "12,340",
            paid_amount: "3700",
            public_paid: "",
            reimbursed_amount: "",
        }
    }

    fn problems(input: ExpenseInput<'_>) -> Vec<(&'static str, Problem)> {
        Expense::parse(input, today()).err().unwrap_or_default()
    }

    #[test]
    fn a_good_row_parses_with_names_as_decoded() {
        let row = ExpenseInput {
            patient_name: "\u{3000}髙橋 﨑子 ",
            provider_name: "\u{FA10}田薬局",
            ..input()
        };
        let e = Expense::parse(row, today()).map_err(|e| format!("{e:?}"));
        let line = e.as_ref().map(|e| &e.line);
        assert_eq!(
            line.map(|l| (
                l.patient_name.as_str(),
                l.provider_name.as_str(),
                l.relationship,
                l.service_month.number(),
                l.category,
                l.days,
                l.total_cost,
                l.paid_amount,
                l.public_paid,
            )),
            Ok((
                "髙橋 﨑子",
                "\u{FA10}田薬局",
                Relationship::Dependent,
                202_611,
                Category::Outpatient,
                2,
                12_340,
                3_700,
                0
            ))
        );
    }

    #[test]
    fn full_width_digits_and_codes_are_read() {
        let row = ExpenseInput {
            member_code: "１２－３４５－０１",
            service_month: "２０２６／０４",
            category: "pharmacy",
            relationship: "insured",
            days: "１",
            total_cost: "１，０００",
            paid_amount: "３００",
            reimbursed_amount: "100",
            ..input()
        };
        let e = Expense::parse(row, today()).map_err(|e| format!("{e:?}"));
        assert_eq!(
            e.map(|e| (
                e.member_code.as_str().to_owned(),
                e.line.service_month.iso(),
                e.line.category,
                e.line.relationship,
                e.line.total_cost,
                e.line.reimbursed_amount
            )),
            Ok((
                "12-345-01".to_owned(),
                "2026-04".to_owned(),
                Category::Pharmacy,
                Relationship::Insured,
                1000,
                100
            ))
        );
    }

    #[test]
    fn every_bad_column_is_reported() {
        let row = ExpenseInput {
            member_code: "12/345",
            patient_name: " ",
            relationship: "父",
            service_month: "202613",
            provider_name: "a\tb",
            category: "鍼灸",
            days: "32",
            total_cost: "-5",
            paid_amount: "1.5",
            public_paid: "x",
            reimbursed_amount: "",
        };
        let fields: Vec<&str> = problems(row).iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "member_code",
                "patient_name",
                "relationship",
                "service_month",
                "provider_name",
                "category",
                "days",
                "total_cost",
                "paid_amount",
                "public_paid"
            ]
        );
    }

    #[test]
    fn amounts_must_add_up() {
        let over = ExpenseInput {
            total_cost: "1000",
            paid_amount: "1001",
            ..input()
        };
        assert_eq!(problems(over), [("paid_amount", Problem::PaidOverTotal)]);
        let public = ExpenseInput {
            total_cost: "1000",
            paid_amount: "300",
            public_paid: "701",
            ..input()
        };
        assert_eq!(
            problems(public),
            [("public_paid", Problem::PublicOverTotal)]
        );
        let back = ExpenseInput {
            paid_amount: "300",
            reimbursed_amount: "301",
            ..input()
        };
        assert_eq!(
            problems(back),
            [("reimbursed_amount", Problem::ReimbursedOverPaid)]
        );
        let free = ExpenseInput {
            total_cost: "0",
            paid_amount: "0",
            days: "0",
            ..input()
        };
        assert!(Expense::parse(free, today()).is_ok());
    }

    #[test]
    fn service_months_are_real_and_not_ahead() {
        assert_eq!(
            ServiceMonth::parse("2026-1", today()).map(ServiceMonth::number),
            Ok(202_601)
        );
        assert_eq!(
            ServiceMonth::parse("202612", today()).map(ServiceMonth::number),
            Ok(202_612)
        );
        assert_eq!(
            ServiceMonth::parse("202701", today()),
            Err(Problem::MonthFuture)
        );
        for bad in [
            "202600",
            "199912",
            "2026111",
            "26-11",
            "令和8年11月",
            "2026-11-01",
        ] {
            assert_eq!(
                ServiceMonth::parse(bad, today()),
                Err(Problem::MonthFormat),
                "{bad}"
            );
        }
        assert_eq!(ServiceMonth::parse(" ", today()), Err(Problem::Required));
    }

    #[test]
    fn retention_keeps_the_last_n_months() {
        assert_eq!(ServiceMonth::retention_start(today(), 24).number(), 202_501);
        assert_eq!(ServiceMonth::retention_start(today(), 12).number(), 202_601);
        assert_eq!(ServiceMonth::retention_start(today(), 1).number(), 202_612);
        let jan = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap_or_default();
        assert_eq!(ServiceMonth::retention_start(jan, 2).number(), 202_612);
    }

    #[test]
    fn the_tax_form_sums_per_patient_provider_and_class() {
        let line = |patient: &str, provider: &str, category, paid, back| Line {
            service_month: ServiceMonth(202_605),
            patient_name: patient.into(),
            relationship: Relationship::Insured,
            provider_name: provider.into(),
            category,
            days: 1,
            total_cost: paid * 3,
            paid_amount: paid,
            public_paid: 0,
            reimbursed_amount: back,
        };
        let lines = [
            line("山田太郎", "A病院", Category::Outpatient, 1000, 0),
            line("山田太郎", "B薬局", Category::Pharmacy, 500, 0),
            line("山田太郎", "A病院", Category::Inpatient, 80_000, 20_000),
            line("山田花子", "A病院", Category::Outpatient, 700, 0),
        ];
        let rows: Vec<_> = tax_rows(&lines)
            .into_iter()
            .map(|r| {
                (
                    r.patient_name,
                    r.provider_name,
                    r.class.label(),
                    r.paid_amount,
                    r.reimbursed_amount,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "山田太郎".into(),
                    "A病院".into(),
                    "診療・治療",
                    81_000,
                    20_000
                ),
                ("山田太郎".into(), "B薬局".into(), "医薬品購入", 500, 0),
                ("山田花子".into(), "A病院".into(), "診療・治療", 700, 0),
            ]
        );
    }

    fn arb_line() -> impl Strategy<Value = Line> {
        (
            0usize..4,
            0usize..5,
            0i64..1_000_000,
            0i64..=100,
            any::<bool>(),
        )
            .prop_map(|(p, c, total, share, dependent)| {
                let paid = total * share / 100;
                Line {
                    service_month: ServiceMonth(202_601),
                    patient_name: format!("患者{p}"),
                    relationship: if dependent {
                        Relationship::Dependent
                    } else {
                        Relationship::Insured
                    },
                    provider_name: format!("医療機関{c}"),
                    category: Category::ALL[c],
                    days: 1,
                    total_cost: total,
                    paid_amount: paid,
                    public_paid: 0,
                    reimbursed_amount: paid / 3,
                }
            })
    }

    proptest! {
        #[test]
        fn totals_are_the_sums_of_the_rows(lines in proptest::collection::vec(arb_line(), 0..60)) {
            let t = totals(&lines);
            prop_assert_eq!(t.total_cost, lines.iter().map(|l| l.total_cost).sum::<i64>());
            prop_assert_eq!(t.paid_amount, lines.iter().map(|l| l.paid_amount).sum::<i64>());
            let people = by_patient(&lines);
            prop_assert_eq!(people.iter().map(|p| p.totals.paid_amount).sum::<i64>(), t.paid_amount);
            prop_assert_eq!(people.iter().map(|p| p.totals.total_cost).sum::<i64>(), t.total_cost);
            let form = tax_rows(&lines);
            prop_assert_eq!(form.iter().map(|r| r.paid_amount).sum::<i64>(), t.paid_amount);
            prop_assert_eq!(
                form.iter().map(|r| r.reimbursed_amount).sum::<i64>(),
                t.reimbursed_amount
            );
            prop_assert!(t.borne() >= 0);
        }

        #[test]
        fn any_row_that_parses_keeps_its_amounts_in_order(
            total in 0i64..10_000_000, paid in 0i64..10_000_000, back in 0i64..10_000_000
        ) {
            let (t, p, b) = (total.to_string(), paid.to_string(), back.to_string());
            let row = ExpenseInput { total_cost: &t, paid_amount: &p, reimbursed_amount: &b, ..input() };
            match Expense::parse(row, today()) {
                Ok(e) => prop_assert!(e.line.reimbursed_amount <= e.line.paid_amount
                    && e.line.paid_amount <= e.line.total_cost),
                Err(_) => prop_assert!(paid > total || back > paid),
            }
        }
    }
}
