//! The medical-expense CSV (DESIGN §10): columns matched by header name in any order, read a
//! record at a time so a file of a million rows never sits in memory.
//!
//! CP932 is split into records before it is decoded: its trail bytes are 0x40–0xFC, never a
//! comma, a quote or a line break, so the CSV reader finds the same fields in the raw bytes.
//! Each field is then decoded with the WHATWG Shift_JIS decoder (Windows-31J, which keeps
//! NEC and IBM extension kanji such as 髙 and 﨑).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use chrono::NaiveDate;
use encoding_rs::SHIFT_JIS;
use madoguchi_app::medical::ReadRow;
use madoguchi_domain::Lang;
use madoguchi_domain::medical::{Expense, ExpenseInput};

use crate::args::Encoding;
use crate::output::{Failure, tr};

pub const COLUMNS: [&str; 11] = [
    "member_code",
    "patient_name",
    "relationship",
    "service_month",
    "provider_name",
    "category",
    "days",
    "total_cost",
    "paid_amount",
    "public_paid",
    "reimbursed_amount",
];

/// The columns a file must have; `public_paid` and `reimbursed_amount` may be left out.
const REQUIRED: usize = 9;

/// An open file, its header read.
pub struct MedicalFile {
    reader: csv::Reader<BufReader<File>>,
    /// The position of each of [`COLUMNS`] in a record (`None`: the file lacks it).
    index: [Option<usize>; 11],
    width: usize,
    encoding: Encoding,
    today: NaiveDate,
    lang: Lang,
    record: csv::ByteRecord,
    /// The file's size in bytes, for the progress bar.
    pub size: u64,
}

impl MedicalFile {
    pub fn open(
        path: &Path,
        encoding: Encoding,
        today: NaiveDate,
        lang: Lang,
    ) -> Result<Self, Failure> {
        let file = File::open(path).map_err(|e| {
            Failure::new(
                lang,
                format!("{} を読めません: {e}", path.display()),
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let header: Vec<String> = match reader.byte_headers() {
            Ok(h) => h
                .iter()
                .map(|cell| {
                    decode(cell, encoding)
                        .unwrap_or_default()
                        .trim()
                        .trim_start_matches('\u{feff}')
                        .to_ascii_lowercase()
                })
                .collect(),
            Err(e) => {
                return Err(Failure::new(
                    lang,
                    format!("1行目（見出し行）を読めません: {e}"),
                    format!("line 1 (the header) cannot be read: {e}"),
                ));
            }
        };
        let index = COLUMNS.map(|name| header.iter().position(|h| h == name));
        let missing: Vec<&str> = COLUMNS[..REQUIRED]
            .iter()
            .zip(&index)
            .filter(|(_, i)| i.is_none())
            .map(|(name, _)| *name)
            .collect();
        if !missing.is_empty() {
            return Err(Failure::new(
                lang,
                format!(
                    "1行目（見出し行）に必要な列がありません: {}。見出しは {} です（最後の 2 列は省略できます）。",
                    missing.join(", "),
                    COLUMNS.join(",")
                ),
                format!(
                    "line 1 (the header) lacks the columns: {}. The header is {} (the last two may be left out).",
                    missing.join(", "),
                    COLUMNS.join(",")
                ),
            ));
        }
        Ok(Self {
            reader,
            index,
            width: header.len(),
            encoding,
            today,
            lang,
            record: csv::ByteRecord::new(),
            size,
        })
    }

    /// How far into the file the reader is, in bytes.
    pub fn position(&self) -> u64 {
        self.reader.position().byte()
    }

    fn row(&self) -> Result<Expense, Vec<String>> {
        let lang = self.lang;
        if self.record.len() != self.width {
            return Err(vec![tr(
                lang,
                format!(
                    "列の数が見出し行と違います（見出し {} 列、この行 {} 列）。",
                    self.width,
                    self.record.len()
                ),
                format!(
                    "{} fields where the header has {}.",
                    self.record.len(),
                    self.width
                ),
            )]);
        }
        let mut cells: [String; 11] = Default::default();
        let mut undecodable = Vec::new();
        for ((cell, name), at) in cells.iter_mut().zip(COLUMNS).zip(self.index) {
            let Some(bytes) = at.and_then(|i| self.record.get(i)) else {
                continue;
            };
            match decode(bytes, self.encoding) {
                Some(text) => *cell = text,
                None => undecodable.push(crate::csv_files::undecodable(self.encoding, name, lang)),
            }
        }
        if !undecodable.is_empty() {
            return Err(undecodable);
        }
        let [
            member_code,
            patient_name,
            relationship,
            service_month,
            provider_name,
            category,
            days,
            total_cost,
            paid_amount,
            public_paid,
            reimbursed_amount,
        ] = &cells;
        let input = ExpenseInput {
            member_code,
            patient_name,
            relationship,
            service_month,
            provider_name,
            category,
            days,
            total_cost,
            paid_amount,
            public_paid,
            reimbursed_amount,
        };
        Expense::parse(input, self.today).map_err(|problems| {
            problems
                .iter()
                .map(|(field, p)| format!("{field}: {}", p.message(lang)))
                .collect()
        })
    }
}

impl Iterator for MedicalFile {
    type Item = ReadRow;

    fn next(&mut self) -> Option<ReadRow> {
        let mut record = std::mem::take(&mut self.record);
        let read = self.reader.read_byte_record(&mut record);
        self.record = record;
        match read {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Some((line, self.row()))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                Some((
                    line,
                    Err(vec![tr(
                        self.lang,
                        format!("CSV として読めません: {e}"),
                        format!("not valid CSV: {e}"),
                    )]),
                ))
            }
        }
    }
}

/// One field's text, or `None` when its bytes are not of the encoding.
fn decode(bytes: &[u8], encoding: Encoding) -> Option<String> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Encoding::Cp932 => SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|text| text.into_owned()),
    }
}
