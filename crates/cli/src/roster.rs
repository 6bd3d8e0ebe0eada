//! The roster CSV (DESIGN §4): columns matched by header name in any order; every bad row is
//! reported with its physical line number (the header is line 1) and nothing is written.

use std::collections::HashMap;

use chrono::NaiveDate;
use madoguchi_domain::Lang;
use madoguchi_domain::roster::{RosterEntry, RosterInput};
use madoguchi_domain::spreadsheet::starts_like_formula;

use crate::output::tr;

pub const COLUMNS: [&str; 8] = [
    "member_code",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "postal_code",
    "address",
];

/// Columns a file must have; the others may be left out (then empty).
const REQUIRED: [&str; 3] = ["member_code", "family_name", "birth_date"];

/// Why a file was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum RosterError {
    /// The header row is missing columns (names listed).
    Header(Vec<String>),
    /// Every bad row: (physical line, reasons).
    Rows(Vec<(u64, Vec<String>)>),
}

impl RosterError {
    pub fn report(&self, lang: Lang) -> String {
        match self {
            Self::Header(missing) => tr(
                lang,
                format!(
                    "1行目（見出し行）に必要な列がありません: {}。見出しは {} です。",
                    missing.join(", "),
                    COLUMNS.join(",")
                ),
                format!(
                    "line 1 (the header) lacks the columns: {}. The header is {}.",
                    missing.join(", "),
                    COLUMNS.join(",")
                ),
            ),
            Self::Rows(rows) => crate::output::bad_rows(lang, rows, rows.len() as u64),
        }
    }
}

/// A file that passed: its entries, and the cells a spreadsheet would take for a formula,
/// as (physical line, column). They are imported as they are (a name is a name); the
/// operator is told, and every CSV the CLI writes quotes them.
pub struct Parsed {
    pub entries: Vec<RosterEntry>,
    pub formula_cells: Vec<(u64, &'static str)>,
}

impl Parsed {
    /// One warning line per such cell.
    pub fn warnings(&self, lang: Lang) -> Vec<String> {
        self.formula_cells
            .iter()
            .map(|(line, column)| {
                tr(
                    lang,
                    format!(
                        "警告: {line}行目の {column} は = + - @ などで始まり、表計算ソフトが数式と見なす値です。そのまま取り込みました（出力する CSV では先頭に ' を付けます）。"
                    ),
                    format!(
                        "warning: line {line}: {column} starts like a spreadsheet formula (= + - @, tab or CR). Imported as it is; the CSV files Madoguchi writes prefix it with '."
                    ),
                )
            })
            .collect()
    }
}

/// Parses the decoded file into valid entries, or reports every problem.
pub fn parse(text: &str, today: NaiveDate, lang: Lang) -> Result<Parsed, RosterError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect(),
        Err(e) => return Err(RosterError::Rows(vec![(1, vec![e.to_string()])])),
    };
    let index: HashMap<&str, usize> = COLUMNS
        .iter()
        .filter_map(|&name| header.iter().position(|h| h == name).map(|i| (name, i)))
        .collect();
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|c| !index.contains_key(*c))
        .map(|c| (*c).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(RosterError::Header(missing));
    }

    let mut entries = Vec::new();
    let mut formula_cells = Vec::new();
    let mut bad = Vec::new();
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                bad.push((
                    line,
                    vec![tr(
                        lang,
                        format!("CSV として読めません: {e}"),
                        format!("not valid CSV: {e}"),
                    )],
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != header.len() {
            bad.push((
                line,
                vec![tr(
                    lang,
                    format!(
                        "列の数が見出し行と違います（見出し {} 列、この行 {} 列）。",
                        header.len(),
                        record.len()
                    ),
                    format!(
                        "{} fields where the header has {}.",
                        record.len(),
                        header.len()
                    ),
                )],
            ));
            continue;
        }
        let field = |name: &str| index.get(name).and_then(|&i| record.get(i)).unwrap_or("");
        formula_cells.extend(
            COLUMNS
                .iter()
                .filter(|c| starts_like_formula(field(c).trim()))
                .map(|c| (line, *c)),
        );
        let input = RosterInput {
            member_code: field("member_code"),
            family_name: field("family_name"),
            given_name: field("given_name"),
            family_name_kana: field("family_name_kana"),
            given_name_kana: field("given_name_kana"),
            birth_date: field("birth_date"),
            postal_code: field("postal_code"),
            address: field("address"),
        };
        match RosterEntry::parse(input, today) {
            Ok(entry) => {
                let code = entry.member_code.as_str().to_owned();
                if let Some(first) = first_line_of.get(&code) {
                    bad.push((
                        line,
                        vec![tr(
                            lang,
                            format!("member_code {code} は{first}行目と重複しています。"),
                            format!("member_code {code} repeats line {first}."),
                        )],
                    ));
                } else {
                    first_line_of.insert(code, line);
                    entries.push(entry);
                }
            }
            Err(errors) => bad.push((
                line,
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.error.message(lang)))
                    .collect(),
            )),
        }
    }
    if bad.is_empty() {
        Ok(Parsed {
            entries,
            formula_cells,
        })
    } else {
        Err(RosterError::Rows(bad))
    }
}
