//! `madoguchi members import`: all-or-nothing roster import.

use chrono::Utc;
use madoguchi_domain::calendar;
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::members;

use super::{Ctx, operator};
use crate::args::MembersCommand;
use crate::output::{Outcome, tr};

pub fn run(ctx: &Ctx, cmd: MembersCommand) -> Outcome {
    let MembersCommand::Import {
        tenant,
        file,
        encoding,
        suspend_missing,
    } = cmd;
    let (_pool, mut conn) = ctx.conn()?;
    let tenant = ctx.tenant(&mut conn, &tenant)?;
    let bytes = std::fs::read(&file).map_err(|e| {
        ctx.fail(
            format!("{} を読めません: {e}", file.display()),
            format!("cannot read {}: {e}", file.display()),
        )
    })?;
    let text = crate::csv_files::decode(&bytes, encoding, ctx.lang)?;
    let now = Utc::now();
    let today = now.with_timezone(&calendar::Tokyo).date_naive();
    let parsed = crate::roster::parse(&text, today, ctx.lang)
        .map_err(|e| crate::output::Failure(e.report(ctx.lang)))?;
    for warning in parsed.warnings(ctx.lang) {
        eprintln!("{warning}");
    }
    let entries = parsed.entries;
    if entries.is_empty() && suspend_missing {
        return Err(ctx.fail(
            "ファイルに会員が1人もいません。--suspend-missing で全員を資格喪失にすることはできません。",
            "the file lists no member; --suspend-missing would suspend everyone, so nothing was done.",
        ));
    }
    let summary = members::import(&mut conn, &tenant.id, &entries, suspend_missing, now)
        .map_err(|e| ctx.store(&e))?;
    audit::record(
        &mut conn,
        &NewAuditEvent {
            tenant_id: Some(&tenant.id),
            member_code: None,
            actor: &operator(),
            action: "members_imported",
            detail: serde_json::json!({
                "rows": entries.len(),
                "inserted": summary.inserted,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "suspended": summary.suspended,
            }),
        },
        now,
    )
    .map_err(|e| ctx.store(&e))?;
    println!(
        "{}",
        tr(
            ctx.lang,
            format!(
                "{} {}: {}行を取り込みました（新規 {}、更新 {}、変更なし {}、資格喪失 {}）。",
                tenant.insurer_number,
                tenant.name,
                entries.len(),
                summary.inserted,
                summary.updated,
                summary.unchanged,
                summary.suspended
            ),
            format!(
                "{} {}: imported {} rows ({} new, {} updated, {} unchanged, {} suspended).",
                tenant.insurer_number,
                tenant.name,
                entries.len(),
                summary.inserted,
                summary.updated,
                summary.unchanged,
                summary.suspended
            ),
        )
    );
    Ok(())
}
