//! The e-mail that announces a published notice to every active member of the tenant who
//! asked for it (`notify_on_update`), in batches (ADR 0021).
//!
//! A batch is one transaction: it claims the notice at its cursor, puts one outbox row per
//! member of the next batch into the outbox and moves the cursor past them. A crash or a
//! SIGTERM between batches loses nothing (the next batch starts at the committed cursor) and
//! repeats nothing (the outbox rows of a committed batch are behind it). Two servers racing
//! for the same batch: the claim is a conditional `UPDATE` of the notice's row, so the second
//! one waits for the first (PostgreSQL's row lock, SQLite's `BEGIN IMMEDIATE`), then finds the
//! cursor moved and writes nothing.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::onboarding::AccountState;

use crate::db::{Conn, write_tx};
use crate::error::StoreError;
use crate::schema::{accounts as a, members as m, notices as n};
use crate::time::to_db;

/// A published notice whose e-mail has not gone to every member yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: String,
    pub tenant_id: String,
    pub title: String,
    pub important: bool,
    /// The last account already queued ("" before the first batch).
    pub cursor: String,
}

/// A member to mail (the address is personal data: not in `Debug`).
#[derive(Clone, PartialEq, Eq)]
pub struct Recipient {
    pub account_id: String,
    pub email: String,
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recipient")
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

/// What one batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Batch {
    /// Outbox rows written.
    pub queued: usize,
    /// Whether the notice's fan-out is over (no member left after this batch).
    pub finished: bool,
}

/// Published, not withdrawn notices with members still to mail, oldest first.
pub fn due(conn: &mut Conn, now: DateTime<Utc>, limit: i64) -> Result<Vec<Due>, StoreError> {
    let rows: Vec<(String, String, String, bool, String)> = n::table
        .filter(n::fanned_out_at.is_null())
        .filter(n::withdrawn_at.is_null())
        .filter(n::publish_at.le(to_db(now)))
        .order((n::publish_at.asc(), n::id.asc()))
        .limit(limit)
        .select((
            n::id,
            n::tenant_id,
            n::title,
            n::important,
            n::fanout_cursor,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, tenant_id, title, important, cursor)| Due {
            id,
            tenant_id,
            title,
            important,
            cursor,
        })
        .collect())
}

/// Runs one batch of `notice`'s fan-out: `enqueue` is called once per member of the next
/// `limit` (in account order after the cursor) inside the batch's transaction, and must queue
/// that member's e-mail on the connection it gets. Nothing happens (`queued: 0`) when another
/// server moved the cursor, or when the notice was withdrawn meanwhile.
pub fn run_batch<E>(
    conn: &mut Conn,
    notice: &Due,
    limit: i64,
    now: DateTime<Utc>,
    mut enqueue: impl FnMut(&mut Conn, &Recipient) -> Result<(), E>,
) -> Result<Batch, E>
where
    E: From<StoreError>,
{
    write_tx(conn, |c| {
        // The claim: a no-op write of the row at the cursor we read. It holds the row until
        // this transaction ends; a racing server's claim then finds the cursor moved.
        let claimed = diesel::update(
            n::table
                .find(&notice.id)
                .filter(n::fanout_cursor.eq(&notice.cursor))
                .filter(n::fanned_out_at.is_null())
                .filter(n::withdrawn_at.is_null()),
        )
        .set(n::fanout_cursor.eq(&notice.cursor))
        .execute(c)
        .map_err(StoreError::from)?;
        if claimed != 1 {
            return Ok(Batch::default());
        }
        let recipients = recipients_after(c, &notice.tenant_id, &notice.cursor, limit)?;
        for recipient in &recipients {
            enqueue(c, recipient)?;
        }
        let finished = (recipients.len() as i64) < limit;
        let cursor = recipients
            .last()
            .map_or(notice.cursor.as_str(), |r| r.account_id.as_str());
        diesel::update(n::table.find(&notice.id))
            .set((
                n::fanout_cursor.eq(cursor),
                n::fanned_out_at.eq(finished.then(|| to_db(now))),
            ))
            .execute(c)
            .map_err(StoreError::from)?;
        Ok(Batch {
            queued: recipients.len(),
            finished,
        })
    })
}

/// The tenant's active accounts that asked for update e-mails, after `cursor` in ID order.
fn recipients_after(
    conn: &mut Conn,
    tenant_id: &str,
    cursor: &str,
    limit: i64,
) -> Result<Vec<Recipient>, StoreError> {
    let rows: Vec<(String, Option<String>)> = a::table
        .inner_join(m::table)
        .filter(m::tenant_id.eq(tenant_id))
        .filter(a::state.eq(AccountState::Active.as_str()))
        .filter(a::notify_on_update.eq(true))
        .filter(a::email.is_not_null())
        .filter(a::email.ne(""))
        .filter(a::id.gt(cursor))
        .order(a::id.asc())
        .limit(limit)
        .select((a::id, a::email))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(account_id, email)| Recipient {
            account_id,
            email: email.unwrap_or_default(),
        })
        .collect())
}
