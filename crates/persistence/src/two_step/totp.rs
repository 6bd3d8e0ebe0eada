//! The authenticator app of an account: its seed sealed (never in clear text), pending until
//! a first right code confirms it, and the last time step that signed in (replay refusal).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::totp_factors as t;
use crate::time::{from_db, to_db};

/// The stored app. Its `Debug` leaves out the sealed seed.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredTotp {
    pub account_id: String,
    /// The seed sealed by the caller (ADR 0018).
    pub sealed_secret: String,
    pub confirmed: bool,
    pub last_used_step: Option<u64>,
}

impl std::fmt::Debug for StoredTotp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredTotp")
            .field("account_id", &self.account_id)
            .field("confirmed", &self.confirmed)
            .field("last_used_step", &self.last_used_step)
            .finish_non_exhaustive()
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    account_id: String,
    sealed_secret: String,
    confirmed_at: Option<NaiveDateTime>,
    last_used_step: Option<i64>,
}

pub fn find(conn: &mut Conn, account_id: &str) -> Result<Option<StoredTotp>, StoreError> {
    Ok(t::table
        .find(account_id)
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(|r| StoredTotp {
            account_id: r.account_id,
            sealed_secret: r.sealed_secret,
            confirmed: r.confirmed_at.is_some(),
            last_used_step: r.last_used_step.and_then(|s| u64::try_from(s).ok()),
        }))
}

/// A new pending app in place of a pending one. A confirmed app is never replaced here: it
/// is removed first (`totp/disable`). False when a confirmed one is there.
pub fn begin(
    conn: &mut Conn,
    account_id: &str,
    sealed_secret: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    diesel::delete(
        t::table
            .filter(t::account_id.eq(account_id))
            .filter(t::confirmed_at.is_null()),
    )
    .execute(conn)?;
    if find(conn, account_id)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(t::table)
        .values((
            t::account_id.eq(account_id),
            t::sealed_secret.eq(sealed_secret),
            t::created_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The first right code: the app is active, and that code's step is used.
pub fn confirm(
    conn: &mut Conn,
    account_id: &str,
    step: u64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(diesel::update(
        t::table
            .filter(t::account_id.eq(account_id))
            .filter(t::confirmed_at.is_null()),
    )
    .set((
        t::confirmed_at.eq(Some(to_db(now))),
        t::last_used_step.eq(Some(step_value(step))),
    ))
    .execute(conn)?
        == 1)
}

/// Records the step of a code that signed in; false when that step (or a later one) was
/// already used: two requests racing with one code, of which only one may pass.
pub fn use_step(conn: &mut Conn, account_id: &str, step: u64) -> Result<bool, StoreError> {
    let step = step_value(step);
    Ok(diesel::update(
        t::table
            .filter(t::account_id.eq(account_id))
            .filter(t::confirmed_at.is_not_null())
            .filter(t::last_used_step.is_null().or(t::last_used_step.lt(step))),
    )
    .set(t::last_used_step.eq(Some(step)))
    .execute(conn)?
        == 1)
}

/// Removes the app, pending or confirmed; true when there was one.
pub fn remove(conn: &mut Conn, account_id: &str) -> Result<bool, StoreError> {
    Ok(diesel::delete(t::table.find(account_id)).execute(conn)? == 1)
}

fn step_value(step: u64) -> i64 {
    i64::try_from(step).unwrap_or(i64::MAX)
}

/// When the app was confirmed, for `account show`.
pub fn confirmed_at(
    conn: &mut Conn,
    account_id: &str,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(t::table
        .find(account_id)
        .select(t::confirmed_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten()
        .map(from_db))
}
