//! `madoguchi medical-expenses import|imports`: 医療費のお知らせ (DESIGN §10, ADR 0022).
//!
//! An import is all or nothing: every bad row is reported with its line number and nothing
//! is written. A service month in the file replaces the tenant's rows of that month, so a
//! corrected month is sent again whole. The households that got rows are mailed once each,
//! through the outbox, if their member asked for update e-mails.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use madoguchi_app::medical::{self, ImportContext, ImportFailure, Summary};
use madoguchi_domain::calendar;
use madoguchi_domain::medical::ServiceMonth;
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::medical as store;

use super::{Ctx, operator};
use crate::args::Encoding;
use crate::medical_file::MedicalFile;
use crate::output::{Failure, Outcome, tr};

#[derive(Debug, Subcommand)]
pub enum MedicalCommand {
    /// Import a month (or months) of what the kenpo paid, from its claims system's CSV.
    ///
    /// Columns (header names, any order): member_code, patient_name, relationship (本人|家族),
    /// service_month (YYYYMM), provider_name, category (入院|外来|歯科|調剤|訪問看護), days,
    /// total_cost, paid_amount, and optionally public_paid and reimbursed_amount.
    Import {
        #[arg(long, value_name = "INSURER_NUMBER")]
        tenant: String,
        file: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        encoding: Encoding,
    },
    /// List the tenant's imports, latest first: ID, time, file, months, rows, households.
    Imports {
        #[arg(long, value_name = "INSURER_NUMBER")]
        tenant: String,
    },
}

pub fn run(ctx: &Ctx, cmd: MedicalCommand) -> Outcome {
    match cmd {
        MedicalCommand::Import {
            tenant,
            file,
            encoding,
        } => import(ctx, &tenant, &file, encoding),
        MedicalCommand::Imports { tenant } => imports(ctx, &tenant),
    }
}

fn import(ctx: &Ctx, tenant: &str, path: &Path, encoding: Encoding) -> Outcome {
    let (_pool, mut conn) = ctx.conn()?;
    let tenant = ctx.tenant(&mut conn, tenant)?;
    let now = Utc::now();
    let today = now.with_timezone(&calendar::Tokyo).date_naive();
    let file = MedicalFile::open(path, encoding, today, ctx.lang)?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(file.size)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30} {percent}% {binary_bytes}/{binary_total_bytes} {msg} ({eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(tr(ctx.lang, "取り込み中", "importing"));
    let mut file = file;
    let mut count = 0u64;
    let rows = std::iter::from_fn(|| {
        let row = file.next()?;
        count += 1;
        if count.is_multiple_of(4_096) {
            bar.set_position(file.position());
        }
        Some(row)
    });
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let created_by = operator();
    let mail_domain = crate::secrets::mail_domain(ctx);
    let cx = ImportContext {
        tenant: &tenant,
        file_name: &file_name,
        created_by: &created_by,
        public_url: &ctx.config.public_url,
        mail_domain: &mail_domain,
        lang: ctx.lang,
        now,
    };
    let result = medical::import(&mut conn, &cx, rows);
    bar.finish_and_clear();
    let summary = result.map_err(|e| failure(ctx, e))?;
    audit::record(
        &mut conn,
        &NewAuditEvent {
            tenant_id: Some(&tenant.id),
            member_code: None,
            actor: &created_by,
            action: "medical_expenses_imported",
            detail: serde_json::json!({
                "import": summary.import_id,
                "file": file_name,
                "rows": summary.rows,
                "months": summary.months.iter().map(|m| m.iso()).collect::<Vec<_>>(),
                "replaced": summary.replaced,
                "households": summary.households,
                "mails": summary.mails,
            }),
        },
        now,
    )
    .map_err(|e| ctx.store(&e))?;
    println!(
        "{}",
        report(ctx, &tenant.insurer_number, &tenant.name, &summary)
    );
    Ok(())
}

fn months(ctx: &Ctx, months: &[ServiceMonth]) -> String {
    let words: Vec<String> = months
        .iter()
        .map(|m| match ctx.lang {
            madoguchi_domain::Lang::Ja => m.japanese(),
            madoguchi_domain::Lang::En => m.iso(),
        })
        .collect();
    words.join(tr(ctx.lang, "・", ", ").as_str())
}

fn report(ctx: &Ctx, insurer_number: &str, name: &str, s: &Summary) -> String {
    tr(
        ctx.lang,
        format!(
            "{insurer_number} {name}: {}行を取り込みました（診療年月 {}、置き換えた行 {}、世帯 {}、メール {} 通を送信待ち）。",
            s.rows,
            months(ctx, &s.months),
            s.replaced,
            s.households,
            s.mails
        ),
        format!(
            "{insurer_number} {name}: imported {} rows (service months {}; {} rows replaced; {} households; {} e-mails queued).",
            s.rows,
            months(ctx, &s.months),
            s.replaced,
            s.households,
            s.mails
        ),
    )
}

fn failure(ctx: &Ctx, e: ImportFailure) -> Failure {
    match e {
        ImportFailure::Store(e) => ctx.store(&e),
        ImportFailure::Empty => ctx.fail(
            "データ行がありません。見出し行の次の行から 1 行に 1 件ずつ書いてください。何も取り込んでいません。",
            "the file has no data rows (one row per line after the header); nothing was imported.",
        ),
        ImportFailure::Rows { shown, total } => {
            Failure(crate::output::bad_rows(ctx.lang, &shown, total))
        }
    }
}

fn imports(ctx: &Ctx, tenant: &str) -> Outcome {
    let (_pool, mut conn) = ctx.conn()?;
    let tenant = ctx.tenant(&mut conn, tenant)?;
    for i in store::imports(&mut conn, &tenant.id).map_err(|e| ctx.store(&e))? {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            i.id,
            i.created_at
                .with_timezone(&calendar::Tokyo)
                .format("%Y-%m-%dT%H:%M%:z"),
            i.file_name,
            months(ctx, &i.months),
            tr(
                ctx.lang,
                format!("{}行", i.rows),
                format!("{} rows", i.rows)
            ),
            tr(
                ctx.lang,
                format!("{}世帯", i.households),
                format!("{} households", i.households)
            ),
        );
    }
    Ok(())
}

/// `serve --demo`: a year of 医療費のお知らせ for the demo households (the twelve months before
/// this one), through the same import an operator runs, so a newcomer sees a living portal.
pub fn seed_demo(
    conn: &mut madoguchi_persistence::Conn,
    tenant: &madoguchi_persistence::tenants::Tenant,
    public_url: &str,
    mail_domain: &str,
    now: chrono::DateTime<Utc>,
) -> Result<Summary, madoguchi_persistence::StoreError> {
    use madoguchi_domain::medical::{Expense, ExpenseInput};
    let today = now.with_timezone(&calendar::Tokyo).date_naive();
    // (member code, patient, relationship, provider, category, days, total cost, share %,
    // reimbursed) and the months (0 = last month) the visit recurs in.
    type Visit = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        u32,
        i64,
        i64,
        i64,
    );
    let visits: [(Visit, &[u32]); 8] = [
        (
            (
                "D-0001",
                "髙橋 一郎",
                "本人",
                "千代田内科クリニック",
                "外来",
                1,
                8_420,
                30,
                0,
            ),
            &[0, 2, 4, 6, 8, 10],
        ),
        (
            (
                "D-0001",
                "髙橋 一郎",
                "本人",
                "千代田薬局",
                "調剤",
                1,
                5_230,
                30,
                0,
            ),
            &[0, 2, 4, 6, 8, 10],
        ),
        (
            (
                "D-0001",
                "髙橋 﨑子",
                "家族",
                "丸の内こども医院",
                "外来",
                2,
                6_100,
                20,
                0,
            ),
            &[1, 5, 9],
        ),
        (
            (
                "D-0001",
                "髙橋 一郎",
                "本人",
                "千代田総合病院",
                "入院",
                9,
                1_183_400,
                30,
                250_330,
            ),
            &[7],
        ),
        (
            (
                "D-0002",
                "山﨑 花子",
                "本人",
                "梅田歯科医院",
                "歯科",
                3,
                21_600,
                30,
                0,
            ),
            &[1, 2, 3, 11],
        ),
        (
            (
                "D-0002",
                "山﨑 太郎",
                "家族",
                "北区訪問看護ステーション",
                "訪問看護",
                4,
                42_000,
                10,
                0,
            ),
            &[4],
        ),
        (
            (
                "D-0003",
                "佐藤 健",
                "本人",
                "名古屋中央病院",
                "外来",
                1,
                15_800,
                30,
                0,
            ),
            &[0, 3, 6, 9],
        ),
        (
            (
                "D-0003",
                "佐藤 健",
                "本人",
                "三の丸薬局",
                "調剤",
                1,
                9_940,
                30,
                0,
            ),
            &[0, 3, 6, 9],
        ),
    ];
    let mut rows = Vec::new();
    let mut line = 1u64;
    for ((code, patient, relationship, provider, category, days, total, share, back), months) in
        visits
    {
        for &ago in months {
            let month = ServiceMonth::months_before(today, ago + 1)
                .number()
                .to_string();
            let paid = total * share / 100;
            let (days, total_s, paid_s, back_s) = (
                days.to_string(),
                total.to_string(),
                paid.to_string(),
                back.to_string(),
            );
            line += 1;
            let parsed = Expense::parse(
                ExpenseInput {
                    member_code: code,
                    patient_name: patient,
                    relationship,
                    service_month: &month,
                    provider_name: provider,
                    category,
                    days: &days,
                    total_cost: &total_s,
                    paid_amount: &paid_s,
                    public_paid: "",
                    reimbursed_amount: &back_s,
                },
                today,
            )
            .map_err(|_| {
                madoguchi_persistence::StoreError::Config("demo medical expenses".into())
            })?;
            rows.push((line, Ok(parsed)));
        }
    }
    let cx = ImportContext {
        tenant,
        file_name: "demo",
        created_by: "system:demo",
        public_url,
        mail_domain,
        lang: madoguchi_domain::Lang::Ja,
        now,
    };
    medical::import(conn, &cx, rows.into_iter()).map_err(|e| match e {
        ImportFailure::Store(e) => e,
        _ => madoguchi_persistence::StoreError::Config("demo medical expenses".into()),
    })
}
