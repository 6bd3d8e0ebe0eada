//! `madoguchi maintenance schedule|add|list|remove`.

use chrono::Utc;
use madoguchi_domain::calendar::{self, MaintenanceWindow};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::{StoreError, maintenance, write_tx};

use super::{Ctx, operator};
use crate::args::MaintenanceCommand;
use crate::output::{Outcome, tr};

pub fn run(ctx: &Ctx, cmd: MaintenanceCommand) -> Outcome {
    match cmd {
        MaintenanceCommand::Schedule { year } => {
            if !(2000..=2099).contains(&year) {
                return Err(ctx.fail(
                    "--year は 2000〜2099 で指定してください。",
                    "--year must be within 2000–2099.",
                ));
            }
            for w in calendar::schedule(year) {
                println!("{}", w.to_interval_string());
            }
            Ok(())
        }
        MaintenanceCommand::Add {
            starts_at,
            ends_at,
            reason,
        } => {
            let parse = |flag: &str, raw: &str| {
                calendar::parse_time(raw).map_err(|e| {
                    ctx.fail(
                        format!("{flag}: {e}"),
                        format!("{flag}: {}", e.message_en()),
                    )
                })
            };
            let window = MaintenanceWindow::new(
                parse("--starts-at", &starts_at)?,
                parse("--ends-at", &ends_at)?,
            )
            .map_err(|e| ctx.fail(e.to_string(), e.message_en()))?;
            let (_pool, mut conn) = ctx.conn()?;
            let now = Utc::now();
            let actor = operator();
            let reason = reason.map(|r| r.trim().to_owned()).unwrap_or_default();
            let stored = write_tx(&mut conn, |c| {
                let stored = maintenance::add(
                    c,
                    window.starts_at.with_timezone(&Utc),
                    window.ends_at.with_timezone(&Utc),
                    &reason,
                    &actor,
                    now,
                )?;
                audit::record(
                    c,
                    &NewAuditEvent {
                        tenant_id: None,
                        member_code: None,
                        actor: &actor,
                        action: "maintenance_added",
                        detail: serde_json::json!({ "id": stored.id, "window": window.to_interval_string() }),
                    },
                    now,
                )?;
                Ok::<_, StoreError>(stored)
            })
            .map_err(|e| ctx.store(&e))?;
            println!("{}\t{}", stored.id, window.to_interval_string());
            Ok(())
        }
        MaintenanceCommand::List { from } => {
            let from = match from {
                Some(raw) => ctx.parse_since("--from", &raw)?,
                None => Utc::now(),
            };
            let (_pool, mut conn) = ctx.conn()?;
            for w in maintenance::list(&mut conn, Some(from)).map_err(|e| ctx.store(&e))? {
                let interval =
                    MaintenanceWindow::new(w.starts_at.fixed_offset(), w.ends_at.fixed_offset())
                        .map(|m| m.to_interval_string())
                        .unwrap_or_default();
                println!("{}\t{interval}\t{}", w.id, w.reason);
            }
            Ok(())
        }
        MaintenanceCommand::Remove { id } => {
            let (_pool, mut conn) = ctx.conn()?;
            let now = Utc::now();
            let actor = operator();
            write_tx(&mut conn, |c| {
                maintenance::remove(c, id.trim())?;
                audit::record(
                    c,
                    &NewAuditEvent {
                        tenant_id: None,
                        member_code: None,
                        actor: &actor,
                        action: "maintenance_removed",
                        detail: serde_json::json!({ "id": id.trim() }),
                    },
                    now,
                )
            })
            .map_err(|e| match e {
                StoreError::NotFound => ctx.fail(
                    format!(
                        "ID {} のメンテナンス予定はありません（maintenance list で確認できます）。",
                        id.trim()
                    ),
                    format!(
                        "no maintenance window has ID {} (see maintenance list).",
                        id.trim()
                    ),
                ),
                other => ctx.store(&other),
            })?;
            println!(
                "{}",
                tr(
                    ctx.lang,
                    format!("メンテナンス予定 {} を削除しました。", id.trim()),
                    format!("removed maintenance window {}.", id.trim())
                )
            );
            Ok(())
        }
    }
}
