//! お知らせ (notices, DESIGN §10, ADR 0021): what a member reads, and the e-mail that
//! announces a published notice to the members who asked for it.
//!
//! The e-mail goes out in batches of [`FANOUT_BATCH`] outbox rows, one transaction each, with
//! the notice's cursor moved in the same transaction (`persistence::notices::fanout`): a
//! tenant of 100 000 members is 100 batches, between which the outbox worker keeps sending
//! and the server keeps serving, and a stop between them resumes where it was.

use chrono::{DateTime, Utc};
use madoguchi_persistence::accounts::AccountView;
use madoguchi_persistence::notices::fanout::{self, Batch, Due};
use madoguchi_persistence::notices::{self, Seen};
use madoguchi_persistence::{Conn, StoreError, tenants};

use crate::error::AppError;
use crate::mail::{self, templates};
use crate::services::Services;

/// Outbox rows written per transaction.
pub const FANOUT_BATCH: i64 = 1_000;

/// The notices the member sees now, newest first, each with its read mark.
pub async fn list(
    state: &Services,
    view: &AccountView,
    now: DateTime<Utc>,
) -> Result<Vec<Seen>, AppError> {
    let (tenant, account) = (view.tenant.id.clone(), view.account.id.clone());
    state
        .db(move |c| Ok(notices::published(c, &tenant, &account, now)?))
        .await
}

/// One notice with its body, marked read; [`AppError::NoticeNotFound`] for anything the
/// member may not see (the answer never tells which).
pub async fn open(
    state: &Services,
    view: &AccountView,
    id: String,
    now: DateTime<Utc>,
) -> Result<(Seen, String), AppError> {
    let (tenant, account) = (view.tenant.id.clone(), view.account.id.clone());
    state
        .db(move |c| notices::open(c, &tenant, &account, &id, now)?.ok_or(AppError::NoticeNotFound))
        .await
}

/// The member's link to a notice (a screen of the SPA).
pub fn link(public_url: &str, id: &str) -> String {
    format!("{}{}", public_url.trim_end_matches('/'), path(id))
}

/// The path of a notice's screen, which every e-mail about it carries.
fn path(id: &str) -> String {
    format!("/menu/notice?id={id}")
}

/// Withdraws a notice and cancels its e-mails still waiting in the outbox, so that a notice
/// posted by mistake stops reaching members at once rather than after the whole tenant's
/// e-mail has gone out. `None` when it was already withdrawn, else how many were cancelled.
pub fn withdraw(
    conn: &mut Conn,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<usize>, StoreError> {
    if !notices::withdraw(conn, id, now)? {
        return Ok(None);
    }
    let cancelled =
        madoguchi_persistence::outbox::cancel_unsent(conn, "notice_published", &path(id), now)?;
    Ok(Some(cancelled))
}

/// Runs one batch of the oldest notice whose e-mail is due; `None` when none is.
pub fn fan_out_next(
    conn: &mut Conn,
    public_url: &str,
    mail_domain: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Due, Batch)>, StoreError> {
    let Some(due) = fanout::due(conn, now, 1)?.pop() else {
        return Ok(None);
    };
    let batch = fan_out_batch(conn, &due, FANOUT_BATCH, public_url, mail_domain, now)?;
    Ok(Some((due, batch)))
}

/// One batch of `due`'s e-mail: up to `limit` members, one outbox row each.
pub fn fan_out_batch(
    conn: &mut Conn,
    due: &Due,
    limit: i64,
    public_url: &str,
    mail_domain: &str,
    now: DateTime<Utc>,
) -> Result<Batch, StoreError> {
    let tenant = tenants::get(conn, &due.tenant_id)?;
    let link = link(public_url, &due.id);
    fanout::run_batch(conn, due, limit, now, |c, recipient| {
        let message = templates::notice_published(
            &recipient.email,
            &tenant.name,
            &due.title,
            due.important,
            &link,
        );
        mail::enqueue(c, &message, &tenant, mail_domain, now).map(|_| ())
    })
}

/// Runs batches until every due notice is fanned out (the operator's `notices add`, and
/// tests); returns the outbox rows written.
pub fn fan_out_all(
    conn: &mut Conn,
    public_url: &str,
    mail_domain: &str,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize),
) -> Result<usize, StoreError> {
    let mut queued = 0;
    while let Some((_, batch)) = fan_out_next(conn, public_url, mail_domain, now)? {
        queued += batch.queued;
        progress(batch.queued);
    }
    Ok(queued)
}
