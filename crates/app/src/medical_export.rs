//! The tax-return export of 医療費のお知らせ (DESIGN §10): the member downloads a year of the
//! household's lines for 医療費控除, as CSV or as xlsx.
//!
//! Both files carry the six items the National Tax Agency requires of a 医療費通知
//! (被保険者等の氏名, 療養を受けた年月, 療養を受けた者, 病院・診療所・薬局等の名称,
//! 被保険者等が支払った医療費の額, 保険者等の名称), one row per line, with the names exactly as
//! imported. The xlsx's first sheet follows the layout of the NTA's 医療費集計フォーム (one row
//! per patient, provider and class, [`tax_rows`]); its second sheet, 明細, repeats the CSV.
//!
//! Nothing here is ever a formula: CSV text cells go through [`safe_cell`] (a leading `'`
//! before `=`, `+`, `-`, `@`, tab or CR), and xlsx text is written as string cells, with
//! Excel's quote prefix on those that look like a formula so that editing one keeps it text.

use std::borrow::Cow;

use madoguchi_domain::Lang;
use madoguchi_domain::medical::{Line, Statement, TaxClass, tax_rows, totals};
use madoguchi_domain::spreadsheet::{safe_cell, starts_like_formula};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The byte-order mark that makes Excel on Windows open a CSV as UTF-8 (not CP932).
const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// The header of the CSV and of the xlsx's 明細 sheet.
pub const DETAIL_HEADER: [&str; 13] = [
    "被保険者等の氏名",
    "保険者等の名称",
    "保険者番号",
    "療養を受けた年月",
    "療養を受けた者",
    "続柄",
    "病院・診療所・薬局等の名称",
    "区分",
    "日数",
    "医療費の総額",
    "被保険者等が支払った医療費の額",
    "左のうち補填される金額",
    "公費負担額",
];

/// The 日数 column of the detail rows: a count, not yen.
const DAYS_COL: u16 = 8;

/// The word in the first column of the rows of sums.
const TOTAL: &str = "合計";

/// The xlsx's first sheet, named as the NTA's form names it.
pub const FORM_SHEET: &str = "医療費集計フォーム";
/// The xlsx's second sheet: every line with the six items.
pub const DETAIL_SHEET: &str = "明細";

/// The form sheet's layout (rows and columns counted from 0). Data starts on row 9 and fills
/// columns A–J as in the NTA's 医療費集計フォーム Ver 3.1 (A No., B–C names, D–G the class
/// marked 該当する, H–I amounts, J 支払年月日); the header rows above are this export's own.
mod form {
    pub const TITLE_ROW: u32 = 0;
    pub const INSURED_ROW: u32 = 1;
    pub const INSURER_ROW: u32 = 2;
    pub const YEAR_ROW: u32 = 3;
    /// 医療費の区分, merged over D:G.
    pub const GROUP_ROW: u32 = 6;
    pub const HEADER_ROW: u32 = 7;
    pub const FIRST_ROW: u32 = 8;

    pub const NO: u16 = 0;
    pub const PATIENT: u16 = 1;
    pub const PROVIDER: u16 = 2;
    pub const TREATMENT: u16 = 3;
    pub const MEDICINE: u16 = 4;
    pub const CARE: u16 = 5;
    pub const OTHER: u16 = 6;
    pub const PAID: u16 = 7;
    pub const REIMBURSED: u16 = 8;
    pub const PAID_ON: u16 = 9;

    pub const HEADER: [&str; 10] = [
        "No.",
        "医療を受けた方の氏名",
        "病院・薬局などの支払先の名称",
        "診療・治療",
        "医薬品購入",
        "介護保険サービス",
        "その他の医療費",
        "支払った医療費の金額",
        "左のうち補填される金額",
        "支払年月日",
    ];
    pub const WIDTHS: [f64; 10] = [6.0, 22.0, 34.0, 11.0, 11.0, 14.0, 13.0, 18.0, 18.0, 13.0];

    /// What a class's column says.
    pub const MARK: &str = "該当する";
}

/// Why the xlsx could not be written. Its message names the kind of failure only, never a
/// cell's content: no name or amount reaches a log line through it.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the xlsx could not be written ({})", xlsx_kind(.0))]
    Xlsx(#[source] XlsxError),
    #[error("the CSV could not be written")]
    Csv(#[source] csv::Error),
}

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        Self::Xlsx(e)
    }
}

/// A fixed description of rust_xlsxwriter's error, without its payload.
fn xlsx_kind(e: &XlsxError) -> &'static str {
    match e {
        XlsxError::MaxStringLengthExceeded => "a text longer than a cell holds",
        XlsxError::RowColumnLimitError => "more rows or columns than a sheet holds",
        XlsxError::IoError(_) | XlsxError::ZipError(_) => "packing the file",
        _ => "the workbook was refused",
    }
}

/// File name for Content-Disposition, ASCII only: `iryohi-2026.csv`, `iryohi-2026.xlsx`.
/// Anything but ASCII letters and digits in `ext` is dropped.
pub fn file_name(year: i32, ext: &str) -> String {
    let ext: String = ext.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("iryohi-{year}.{ext}")
}

/// The CSV: UTF-8 with a BOM, CRLF line ends, the Japanese header, one row per line in the
/// statement's order and a 合計 row.
pub fn csv(statement: &Statement) -> Result<Vec<u8>, ExportError> {
    write_csv(statement).map_err(ExportError::Csv)
}

fn write_csv(statement: &Statement) -> csv::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    writer.write_record(DETAIL_HEADER)?;
    for line in &statement.lines {
        writer.write_record(detail_row(statement, line).map(|cell| cell.csv()))?;
    }
    writer.write_record(total_row(statement).map(|cell| cell.csv()))?;
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// One cell of a detail row: text (always written as text) or a whole number.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(i64),
    Empty,
}

impl Cell<'_> {
    fn csv(&self) -> String {
        match self {
            Self::Text(t) => safe_cell(t).into_owned(),
            Self::Number(n) => n.to_string(),
            Self::Empty => String::new(),
        }
    }
}

fn detail_row<'a>(statement: &'a Statement, line: &'a Line) -> [Cell<'a>; 13] {
    [
        Cell::Text(Cow::from(&statement.insured_name)),
        Cell::Text(Cow::from(&statement.insurer_name)),
        Cell::Text(Cow::from(&statement.insurer_number)),
        Cell::Text(Cow::Owned(line.service_month.japanese())),
        Cell::Text(Cow::from(&line.patient_name)),
        Cell::Text(Cow::from(line.relationship.label(Lang::Ja))),
        Cell::Text(Cow::from(&line.provider_name)),
        Cell::Text(Cow::from(line.category.label(Lang::Ja))),
        Cell::Number(i64::from(line.days)),
        Cell::Number(line.total_cost),
        Cell::Number(line.paid_amount),
        Cell::Number(line.reimbursed_amount),
        Cell::Number(line.public_paid),
    ]
}

fn total_row(statement: &Statement) -> [Cell<'static>; 13] {
    let sums = totals(&statement.lines);
    [
        Cell::Text(Cow::from(TOTAL)),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Number(sums.total_cost),
        Cell::Number(sums.paid_amount),
        Cell::Number(sums.reimbursed_amount),
        Cell::Number(sums.public_paid),
    ]
}

/// The formats of the workbook.
struct Formats {
    title: Format,
    label: Format,
    header: Format,
    text: Format,
    /// Text that a spreadsheet would take for a formula when edited: kept text.
    quoted: Format,
    amount: Format,
    number: Format,
    total_label: Format,
    total_amount: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin);
        let amount = cell.clone().set_num_format("#,##0");
        Self {
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold(),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            text: cell.clone(),
            quoted: cell.clone().set_quote_prefix(),
            number: cell.clone().set_num_format("0"),
            total_label: cell.clone().set_bold(),
            total_amount: amount.clone().set_bold(),
            amount,
        }
    }

    fn text_for(&self, value: &str) -> &Format {
        if starts_like_formula(value) {
            &self.quoted
        } else {
            &self.text
        }
    }
}

/// Writes `value` as a string cell, never a formula.
fn text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, value, formats.text_for(value))?;
    Ok(())
}

/// An amount in yen as a number cell. Amounts are at most ten billion a line, far inside
/// the integers an f64 holds exactly.
#[allow(clippy::cast_precision_loss)]
fn yen(n: i64) -> f64 {
    n as f64
}

/// The xlsx: the 医療費集計フォーム sheet and the 明細 sheet.
pub fn xlsx(statement: &Statement) -> Result<Vec<u8>, ExportError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    write_form(workbook.add_worksheet(), statement, &formats)?;
    write_detail(workbook.add_worksheet(), statement, &formats)?;
    Ok(workbook.save_to_buffer()?)
}

fn write_form(
    sheet: &mut Worksheet,
    statement: &Statement,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(FORM_SHEET)?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    for (col, width) in (0u16..).zip(form::WIDTHS) {
        sheet.set_column_width(col, width)?;
    }

    sheet.write_string_with_format(form::TITLE_ROW, 0, FORM_SHEET, &formats.title)?;
    let insurer = if statement.insurer_number.is_empty() {
        statement.insurer_name.clone()
    } else {
        format!("{}（{}）", statement.insurer_name, statement.insurer_number)
    };
    for (row, label, value) in [
        (
            form::INSURED_ROW,
            "被保険者等の氏名",
            statement.insured_name.as_str(),
        ),
        (form::INSURER_ROW, "保険者等の名称", insurer.as_str()),
    ] {
        sheet.write_string_with_format(row, 0, label, &formats.label)?;
        sheet.write_string_with_format(row, 1, value, formats.text_for(value))?;
    }
    sheet.write_string_with_format(form::YEAR_ROW, 0, "対象年", &formats.label)?;
    sheet.write_string_with_format(
        form::YEAR_ROW,
        1,
        format!("{}年", statement.year),
        &formats.text,
    )?;

    sheet.merge_range(
        form::GROUP_ROW,
        form::TREATMENT,
        form::GROUP_ROW,
        form::OTHER,
        "医療費の区分",
        &formats.header,
    )?;
    for (col, title) in (0u16..).zip(form::HEADER) {
        sheet.write_string_with_format(form::HEADER_ROW, col, title, &formats.header)?;
    }
    sheet.set_freeze_panes(form::FIRST_ROW, 0)?;

    let rows = tax_rows(&statement.lines);
    let mut row = form::FIRST_ROW;
    for (no, tax) in (1u32..).zip(&rows) {
        sheet.write_number_with_format(row, form::NO, no, &formats.number)?;
        text(sheet, row, form::PATIENT, &tax.patient_name, formats)?;
        text(sheet, row, form::PROVIDER, &tax.provider_name, formats)?;
        let marked = match tax.class {
            TaxClass::Treatment => form::TREATMENT,
            TaxClass::Medicine => form::MEDICINE,
        };
        for col in [form::TREATMENT, form::MEDICINE, form::CARE, form::OTHER] {
            let value = if col == marked { form::MARK } else { "" };
            sheet.write_string_with_format(row, col, value, &formats.text)?;
        }
        sheet.write_number_with_format(row, form::PAID, yen(tax.paid_amount), &formats.amount)?;
        sheet.write_number_with_format(
            row,
            form::REIMBURSED,
            yen(tax.reimbursed_amount),
            &formats.amount,
        )?;
        sheet.write_blank(row, form::PAID_ON, &formats.text)?;
        row += 1;
    }

    let paid: i64 = rows.iter().map(|r| r.paid_amount).sum();
    let reimbursed: i64 = rows.iter().map(|r| r.reimbursed_amount).sum();
    sheet.write_string_with_format(row, form::NO, TOTAL, &formats.total_label)?;
    sheet.write_number_with_format(row, form::PAID, yen(paid), &formats.total_amount)?;
    sheet.write_number_with_format(
        row,
        form::REIMBURSED,
        yen(reimbursed),
        &formats.total_amount,
    )?;
    Ok(())
}

fn write_detail(
    sheet: &mut Worksheet,
    statement: &Statement,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(DETAIL_SHEET)?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    const WIDTHS: [f64; 13] = [
        18.0, 26.0, 11.0, 12.0, 18.0, 6.0, 30.0, 8.0, 6.0, 12.0, 14.0, 14.0, 12.0,
    ];
    for (col, width) in (0u16..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    for (col, title) in (0u16..).zip(DETAIL_HEADER) {
        sheet.write_string_with_format(0, col, title, &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let mut row = 1;
    for line in &statement.lines {
        write_detail_row(sheet, row, detail_row(statement, line), formats, false)?;
        row += 1;
    }
    write_detail_row(sheet, row, total_row(statement), formats, true)
}

fn write_detail_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: [Cell<'_>; 13],
    formats: &Formats,
    total: bool,
) -> Result<(), XlsxError> {
    for (col, cell) in (0u16..).zip(cells) {
        match cell {
            Cell::Text(t) if total => {
                sheet.write_string_with_format(row, col, t, &formats.total_label)?;
            }
            Cell::Text(t) => text(sheet, row, col, &t, formats)?,
            Cell::Number(n) if total => {
                sheet.write_number_with_format(row, col, yen(n), &formats.total_amount)?;
            }
            Cell::Number(n) if col == DAYS_COL => {
                sheet.write_number_with_format(row, col, yen(n), &formats.number)?;
            }
            Cell::Number(n) => {
                sheet.write_number_with_format(row, col, yen(n), &formats.amount)?;
            }
            Cell::Empty => {
                sheet.write_blank(row, col, &formats.text)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use madoguchi_domain::medical::{Category, Relationship, ServiceMonth};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const INSURED: &str = "髙橋 太郎";
    const DEPENDENT: &str = "髙﨑 花子";
    const FORMULA: &str = "=HYPERLINK(\"x\")";

    fn line(
        month: i64,
        patient: &str,
        relationship: Relationship,
        provider: &str,
        category: Category,
        amounts: (i64, i64, i64, i64),
    ) -> Result<Line, Box<dyn std::error::Error>> {
        let (total_cost, paid_amount, public_paid, reimbursed_amount) = amounts;
        Ok(Line {
            service_month: ServiceMonth::from_number(month).ok_or("month")?,
            patient_name: patient.into(),
            relationship,
            provider_name: provider.into(),
            category,
            days: 2,
            total_cost,
            paid_amount,
            public_paid,
            reimbursed_amount,
        })
    }

    fn statement() -> Result<Statement, Box<dyn std::error::Error>> {
        use Category::*;
        use Relationship::*;
        Ok(Statement {
            year: 2026,
            insurer_name: "窓口健康保険組合".into(),
            insurer_number: "06123456".into(),
            insured_name: INSURED.into(),
            lines: vec![
                line(
                    202_603,
                    INSURED,
                    Insured,
                    "千代田病院",
                    Inpatient,
                    (400_000, 120_000, 0, 30_000),
                )?,
                line(
                    202_603,
                    INSURED,
                    Insured,
                    "神田薬局",
                    Pharmacy,
                    (3_000, 900, 0, 0),
                )?,
                line(
                    202_605,
                    DEPENDENT,
                    Dependent,
                    FORMULA,
                    Outpatient,
                    (10_000, 2_000, 1_000, 0),
                )?,
                line(
                    202_611,
                    INSURED,
                    Insured,
                    "千代田病院",
                    Outpatient,
                    (5_000, 1_500, 0, 0),
                )?,
            ],
        })
    }

    #[test]
    fn file_names_are_ascii() {
        assert_eq!(file_name(2026, "csv"), "iryohi-2026.csv");
        assert_eq!(file_name(2025, "xlsx"), "iryohi-2025.xlsx");
        assert_eq!(file_name(2026, "x\"l;sx"), "iryohi-2026.xlsx");
    }

    #[test]
    fn the_csv_has_a_bom_crlf_every_line_and_the_sums() -> TestResult {
        let bytes = csv(&statement()?)?;
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let body = std::str::from_utf8(&bytes[3..])?;
        assert_eq!(body.matches("\r\n").count(), 6);
        assert_eq!(body.matches('\n').count(), 6);

        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[3..]);
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
            .collect::<Result<_, _>>()?;
        assert_eq!(rows.len(), 6);
        assert_eq!(
            rows[0].join(","),
            "被保険者等の氏名,保険者等の名称,保険者番号,療養を受けた年月,療養を受けた者,続柄,\
             病院・診療所・薬局等の名称,区分,日数,医療費の総額,被保険者等が支払った医療費の額,\
             左のうち補填される金額,公費負担額"
        );
        assert_eq!(
            rows[1],
            [
                INSURED,
                "窓口健康保険組合",
                "06123456",
                "2026年3月",
                INSURED,
                "本人",
                "千代田病院",
                "入院",
                "2",
                "400000",
                "120000",
                "30000",
                "0"
            ]
        );
        assert_eq!(
            rows[2],
            [
                INSURED,
                "窓口健康保険組合",
                "06123456",
                "2026年3月",
                INSURED,
                "本人",
                "神田薬局",
                "調剤",
                "2",
                "3000",
                "900",
                "0",
                "0"
            ]
        );
        assert_eq!(
            rows[3],
            [
                INSURED,
                "窓口健康保険組合",
                "06123456",
                "2026年5月",
                DEPENDENT,
                "家族",
                "'=HYPERLINK(\"x\")",
                "外来",
                "2",
                "10000",
                "2000",
                "0",
                "1000"
            ]
        );
        assert_eq!(rows[4][3], "2026年11月");
        assert_eq!(
            rows[5],
            [
                "合計", "", "", "", "", "", "", "", "", "418000", "124400", "30000", "1000"
            ]
        );
        Ok(())
    }

    #[test]
    fn a_csv_name_that_looks_like_a_formula_is_quoted() -> TestResult {
        let mut s = statement()?;
        s.insured_name = "=1+1".into();
        s.lines.truncate(1);
        s.lines[0].patient_name = "@SUM(A1)".into();
        let bytes = csv(&s)?;
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let first = reader.records().next().ok_or("no row")??;
        assert_eq!(first.get(0), Some("'=1+1"));
        assert_eq!(first.get(4), Some("'@SUM(A1)"));
        Ok(())
    }

    #[test]
    fn an_empty_year_has_the_header_and_zero_sums() -> TestResult {
        let mut s = statement()?;
        s.lines.clear();
        let bytes = csv(&s)?;
        let text = std::str::from_utf8(&bytes[3..])?;
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1], "合計,,,,,,,,,0,0,0,0");
        let xlsx = xlsx(&s)?;
        let mut book = open(&xlsx)?;
        let form = calamine::Reader::worksheet_range(&mut book, FORM_SHEET)?;
        assert_eq!(string(&form, 9, 1), "合計");
        assert_eq!(number(&form, 9, 8), Some(0.0));
        Ok(())
    }

    use calamine::{Data, Range, Reader, Xlsx};
    use std::io::Cursor;

    fn open(bytes: &[u8]) -> Result<Xlsx<Cursor<Vec<u8>>>, calamine::XlsxError> {
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec()))
    }

    /// The string in the cell at 1-based `row` and `col` ("" for none or another type).
    fn string(range: &Range<Data>, row: u32, col: u32) -> String {
        match range.get_value((row - 1, col - 1)) {
            Some(Data::String(s)) => s.clone(),
            _ => String::new(),
        }
    }

    fn number(range: &Range<Data>, row: u32, col: u32) -> Option<f64> {
        match range.get_value((row - 1, col - 1)) {
            Some(Data::Float(f)) => Some(*f),
            Some(Data::Int(i)) => Some(*i as f64),
            _ => None,
        }
    }

    #[test]
    fn the_xlsx_form_has_one_row_per_patient_provider_and_class() -> TestResult {
        let bytes = xlsx(&statement()?)?;
        assert!(bytes.starts_with(b"PK"));
        let mut book = open(&bytes)?;
        assert_eq!(book.sheet_names(), [FORM_SHEET, DETAIL_SHEET]);
        let form = book.worksheet_range(FORM_SHEET)?;

        assert_eq!(string(&form, 1, 1), "医療費集計フォーム");
        assert_eq!(string(&form, 2, 1), "被保険者等の氏名");
        assert_eq!(string(&form, 2, 2), INSURED);
        assert_eq!(string(&form, 3, 1), "保険者等の名称");
        assert_eq!(string(&form, 3, 2), "窓口健康保険組合（06123456）");
        assert_eq!(string(&form, 4, 1), "対象年");
        assert_eq!(string(&form, 4, 2), "2026年");
        assert_eq!(string(&form, 7, 4), "医療費の区分");
        let header: Vec<String> = (1..=10).map(|c| string(&form, 8, c)).collect();
        assert_eq!(
            header,
            [
                "No.",
                "医療を受けた方の氏名",
                "病院・薬局などの支払先の名称",
                "診療・治療",
                "医薬品購入",
                "介護保険サービス",
                "その他の医療費",
                "支払った医療費の金額",
                "左のうち補填される金額",
                "支払年月日"
            ]
        );

        // (No., patient, provider, D..G, paid, reimbursed), from row 9.
        let row = |r: u32| {
            (
                number(&form, r, 1),
                string(&form, r, 2),
                string(&form, r, 3),
                (4..=7).map(|c| string(&form, r, c)).collect::<Vec<_>>(),
                number(&form, r, 8),
                number(&form, r, 9),
                string(&form, r, 10),
            )
        };
        let mark = |col: usize| {
            let mut v = vec![String::new(); 4];
            v[col] = "該当する".into();
            v
        };
        // The hospital's two lines of the insured person are one row.
        assert_eq!(
            row(9),
            (
                Some(1.0),
                INSURED.into(),
                "千代田病院".into(),
                mark(0),
                Some(121_500.0),
                Some(30_000.0),
                String::new()
            )
        );
        assert_eq!(
            row(10),
            (
                Some(2.0),
                INSURED.into(),
                "神田薬局".into(),
                mark(1),
                Some(900.0),
                Some(0.0),
                String::new()
            )
        );
        assert_eq!(
            row(11),
            (
                Some(3.0),
                DEPENDENT.into(),
                FORMULA.into(),
                mark(0),
                Some(2_000.0),
                Some(0.0),
                String::new()
            )
        );
        assert_eq!(string(&form, 12, 1), "合計");
        assert_eq!(number(&form, 12, 8), Some(124_400.0));
        assert_eq!(number(&form, 12, 9), Some(30_000.0));
        assert_eq!(string(&form, 13, 2), "");

        // The formula-looking provider is a string cell, and no cell of either sheet holds
        // a formula.
        assert!(matches!(form.get_value((10, 2)), Some(Data::String(_))));
        for sheet in [FORM_SHEET, DETAIL_SHEET] {
            let formulas = book.worksheet_formula(sheet)?;
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "{sheet} has a formula"
            );
        }

        let merged: Vec<String> = book
            .merge_cells_by_sheet_name(FORM_SHEET)?
            .iter()
            .map(|d| format!("{:?}-{:?}", d.start, d.end))
            .collect();
        assert_eq!(merged, ["(6, 3)-(6, 6)"]);
        Ok(())
    }

    #[test]
    fn the_xlsx_detail_sheet_repeats_the_csv() -> TestResult {
        let s = statement()?;
        let bytes = xlsx(&s)?;
        let mut book = open(&bytes)?;
        let detail = book.worksheet_range(DETAIL_SHEET)?;
        let header: Vec<String> = (1..=13).map(|c| string(&detail, 1, c)).collect();
        assert_eq!(header, DETAIL_HEADER);

        let texts = |r: u32| [1, 2, 3, 4, 5, 6, 7, 8].map(|c| string(&detail, r, c));
        let amounts = |r: u32| [9, 10, 11, 12, 13].map(|c| number(&detail, r, c));
        assert_eq!(
            texts(2),
            [
                INSURED,
                "窓口健康保険組合",
                "06123456",
                "2026年3月",
                INSURED,
                "本人",
                "千代田病院",
                "入院"
            ]
        );
        assert_eq!(
            amounts(2),
            [
                Some(2.0),
                Some(400_000.0),
                Some(120_000.0),
                Some(30_000.0),
                Some(0.0)
            ]
        );
        // Kept exactly, without the CSV's quote: a string cell is never evaluated.
        assert_eq!(
            texts(4),
            [
                INSURED,
                "窓口健康保険組合",
                "06123456",
                "2026年5月",
                DEPENDENT,
                "家族",
                FORMULA,
                "外来"
            ]
        );
        assert_eq!(
            amounts(4),
            [
                Some(2.0),
                Some(10_000.0),
                Some(2_000.0),
                Some(0.0),
                Some(1_000.0)
            ]
        );
        assert_eq!(string(&detail, 5, 4), "2026年11月");
        assert_eq!(string(&detail, 6, 1), "合計");
        assert_eq!(string(&detail, 6, 5), "");
        assert_eq!(
            amounts(6),
            [
                None,
                Some(418_000.0),
                Some(124_400.0),
                Some(30_000.0),
                Some(1_000.0)
            ]
        );
        assert_eq!(detail.end(), Some((5, 12)));
        Ok(())
    }

    #[test]
    fn a_formula_looking_name_stays_text_in_the_xlsx() -> TestResult {
        let mut s = statement()?;
        s.insured_name = "=1+1".into();
        s.lines[0].patient_name = "+81".into();
        let bytes = xlsx(&s)?;
        let mut book = open(&bytes)?;
        let form = book.worksheet_range(FORM_SHEET)?;
        assert_eq!(form.get_value((1, 1)), Some(&Data::String("=1+1".into())));
        assert_eq!(form.get_value((8, 1)), Some(&Data::String("+81".into())));
        let detail = book.worksheet_range(DETAIL_SHEET)?;
        assert_eq!(detail.get_value((1, 0)), Some(&Data::String("=1+1".into())));
        assert_eq!(detail.get_value((1, 4)), Some(&Data::String("+81".into())));
        let formulas = book.worksheet_formula(FORM_SHEET)?;
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
        Ok(())
    }

    #[test]
    fn the_export_error_says_no_cell_content() {
        let e = ExportError::from(XlsxError::ParameterError("髙橋 120000".into()));
        let text = e.to_string();
        assert_eq!(
            text,
            "the xlsx could not be written (the workbook was refused)"
        );
        let long = ExportError::from(XlsxError::MaxStringLengthExceeded);
        assert!(long.to_string().contains("longer than a cell"));
    }
}
