//! `madoguchi credentials issue`: temporary credentials for postcard printing.

use std::io::IsTerminal;
use std::path::Path;

use chrono::{DateTime, Utc};
use madoguchi_domain::onboarding::{IssueDecision, may_issue};
use madoguchi_persistence::members::{self, Member};
use madoguchi_persistence::tenants::Tenant;
use madoguchi_persistence::{Conn, accounts, audit, temporary_credentials};

use super::{Ctx, operator};
use crate::args::{CredentialsCommand, Encoding};
use crate::output::{Failure, Outcome, tr};
use crate::postcards::{self, Grant};

/// What an issue run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IssueSummary {
    pub issued: usize,
    pub skipped_registered: usize,
    pub skipped_unexpired: usize,
}

pub fn run(ctx: &Ctx, cmd: CredentialsCommand) -> Outcome {
    let CredentialsCommand::Issue {
        tenant,
        out,
        members: named,
        encoding,
    } = cmd;
    let (_pool, mut conn) = ctx.conn()?;
    let tenant = ctx.tenant(&mut conn, &tenant)?;
    let now = Utc::now();
    let summary = issue(
        ctx,
        &mut conn,
        &tenant,
        &named,
        &out,
        encoding,
        now,
        std::io::stderr().is_terminal(),
    )?;
    println!(
        "{}",
        tr(
            ctx.lang,
            format!(
                "{} {}: {}件発行し {} に書き出しました（対象外: 登録済み・資格喪失 {}件、有効なハガキあり {}件）。",
                tenant.insurer_number,
                tenant.name,
                summary.issued,
                out.display(),
                summary.skipped_registered,
                summary.skipped_unexpired
            ),
            format!(
                "{} {}: issued {} to {} (skipped: {} registered or suspended, {} with a valid postcard).",
                tenant.insurer_number,
                tenant.name,
                summary.issued,
                out.display(),
                summary.skipped_registered,
                summary.skipped_unexpired
            ),
        )
    );
    Ok(())
}

/// Chooses the members, writes the postcard file and commits (see [`postcards`]).
#[expect(
    clippy::too_many_arguments,
    reason = "one call site per front end; a struct would only rename them"
)]
pub fn issue(
    ctx: &Ctx,
    conn: &mut Conn,
    tenant: &Tenant,
    named: &[String],
    out: &Path,
    encoding: Encoding,
    now: DateTime<Utc>,
    show_progress: bool,
) -> Result<IssueSummary, Failure> {
    let candidates = select_members(ctx, conn, tenant, named)?;
    let mut summary = IssueSummary::default();
    let mut grants = Vec::new();
    for member in candidates {
        let account = accounts::find_by_member(conn, &member.id).map_err(|e| ctx.store(&e))?;
        let unexpired = match &account {
            Some(a) => temporary_credentials::pending(conn, &a.id, now)
                .map_err(|e| ctx.store(&e))?
                .is_some(),
            None => false,
        };
        match may_issue(
            account.as_ref().map(|a| a.state),
            unexpired,
            !named.is_empty(),
        ) {
            IssueDecision::Issue => grants.push(Grant::postcard(member, account)),
            IssueDecision::SkipActiveOrSuspended => summary.skipped_registered += 1,
            IssueDecision::SkipUnexpired => summary.skipped_unexpired += 1,
        }
    }
    postcards::make_ids_unique(conn, &mut grants).map_err(|e| ctx.store(&e))?;
    let prepared = postcards::prepare(grants, tenant, now, show_progress);
    write_and_commit(
        ctx,
        conn,
        &prepared,
        out,
        encoding,
        "credentials_issued",
        now,
    )?;
    summary.issued = prepared.grants.len();
    audit::record(
        conn,
        &audit::NewAuditEvent {
            tenant_id: Some(&tenant.id),
            member_code: None,
            actor: &operator(),
            action: "credentials_issue_run",
            detail: serde_json::json!({
                "issued": summary.issued,
                "skipped_registered": summary.skipped_registered,
                "skipped_unexpired": summary.skipped_unexpired,
                "named": named.len(),
            }),
        },
        now,
    )
    .map_err(|e| ctx.store(&e))?;
    Ok(summary)
}

/// Writes the postcard file (0600, O_EXCL, synced), then commits; removes the file if the
/// commit fails.
pub fn write_and_commit(
    ctx: &Ctx,
    conn: &mut Conn,
    prepared: &postcards::Prepared,
    out: &Path,
    encoding: Encoding,
    action: &str,
    now: DateTime<Utc>,
) -> Outcome {
    let text = postcards::to_csv(prepared).map_err(|e| {
        ctx.fail(
            format!("CSV を作れません: {e}"),
            format!("cannot build the CSV: {e}"),
        )
    })?;
    let bytes = crate::csv_files::encode(&text, encoding, ctx.lang)?;
    let mut file = crate::csv_files::create_private(out, ctx.lang)?;
    let written = crate::csv_files::write_synced(&mut file, &bytes);
    drop(file);
    let result = written
        .map_err(|e| {
            ctx.fail(
                format!("{} に書き込めません: {e}", out.display()),
                format!("cannot write {}: {e}", out.display()),
            )
        })
        .and_then(|()| {
            postcards::commit(conn, prepared, &operator(), action, now).map_err(|e| ctx.store(&e))
        });
    if result.is_err() {
        // No member may end up with credentials that nobody holds, nor a file of dead ones.
        let _ = std::fs::remove_file(out);
    }
    result
}

/// Every member of the tenant, or the named ones (each must exist).
fn select_members(
    ctx: &Ctx,
    conn: &mut Conn,
    tenant: &Tenant,
    named: &[String],
) -> Result<Vec<Member>, Failure> {
    if named.is_empty() {
        return members::list(conn, &tenant.id).map_err(|e| ctx.store(&e));
    }
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for raw in named {
        let code = madoguchi_domain::normalize::normalize(raw);
        match members::find_by_code(conn, &tenant.id, &code).map_err(|e| ctx.store(&e))? {
            Some(m) if !found.iter().any(|f: &Member| f.id == m.id) => found.push(m),
            Some(_) => {}
            None => unknown.push(code),
        }
    }
    if unknown.is_empty() {
        Ok(found)
    } else {
        Err(ctx.fail(
            format!("名簿にない会員です: {}（members import で取り込んでください）。何も発行していません。", unknown.join(", ")),
            format!("not in the roster: {} (import them with members import). Nothing was issued.", unknown.join(", ")),
        ))
    }
}
