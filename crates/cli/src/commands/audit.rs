//! `madoguchi audit`: a tenant's events, oldest first (newest last), one per line.

use madoguchi_domain::calendar;
use madoguchi_persistence::audit;

use super::Ctx;
use crate::output::Outcome;

pub fn run(
    ctx: &Ctx,
    tenant: &str,
    member: Option<&str>,
    since: Option<&str>,
    json: bool,
) -> Outcome {
    let (_pool, mut conn) = ctx.conn()?;
    let tenant = ctx.tenant(&mut conn, tenant)?;
    let since = since.map(|s| ctx.parse_since("--since", s)).transpose()?;
    let member = member.map(madoguchi_domain::normalize::normalize);
    let events =
        audit::list(&mut conn, &tenant.id, member.as_deref(), since).map_err(|e| ctx.store(&e))?;
    for e in events {
        let at = e
            .occurred_at
            .with_timezone(&calendar::Tokyo)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        if json {
            println!(
                "{}",
                serde_json::json!({
                    "occurred_at": at,
                    "tenant": tenant.insurer_number,
                    "member_code": e.member_code,
                    "actor": e.actor,
                    "action": e.action,
                    "detail": e.detail,
                })
            );
        } else {
            println!(
                "{at}\t{}\t{}\t{}\t{}",
                e.actor,
                e.action,
                e.member_code.as_deref().unwrap_or("-"),
                e.detail
            );
        }
    }
    Ok(())
}
