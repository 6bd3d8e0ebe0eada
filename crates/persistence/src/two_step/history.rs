//! The login history (ログイン履歴): every sign-in attempt of an account; the member reads
//! the last 20, housekeeping may drop older ones.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::two_step::{Outcome, SignInMethod};

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::login_history as h;
use crate::time::{from_db, new_id, to_db};

/// How many attempts the member sees.
pub const SHOWN: i64 = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub outcome: Outcome,
    pub method: SignInMethod,
    pub address: String,
    pub browser: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = h)]
struct Row {
    at: NaiveDateTime,
    outcome: String,
    method: String,
    address: String,
    browser: String,
}

pub fn record(conn: &mut Conn, account_id: &str, attempt: &Attempt) -> Result<(), StoreError> {
    diesel::insert_into(h::table)
        .values((
            h::id.eq(new_id()),
            h::account_id.eq(account_id),
            h::at.eq(to_db(attempt.at)),
            h::outcome.eq(attempt.outcome.as_str()),
            h::method.eq(attempt.method.as_str()),
            h::address.eq(&attempt.address),
            h::browser.eq(&attempt.browser),
        ))
        .execute(conn)?;
    Ok(())
}

/// How the account's latest attempt ended, if it made any.
pub fn last_outcome(conn: &mut Conn, account_id: &str) -> Result<Option<Outcome>, StoreError> {
    let rows: Vec<String> = h::table
        .filter(h::account_id.eq(account_id))
        .order((h::at.desc(), h::id.desc()))
        .limit(1)
        .select(h::outcome)
        .load(conn)?;
    Ok(rows.first().and_then(|o| Outcome::parse(o)))
}

/// The last [`SHOWN`] attempts, newest first.
pub fn recent(conn: &mut Conn, account_id: &str) -> Result<Vec<Attempt>, StoreError> {
    let rows: Vec<Row> = h::table
        .filter(h::account_id.eq(account_id))
        .order((h::at.desc(), h::id.desc()))
        .limit(SHOWN)
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Attempt {
                at: from_db(r.at),
                outcome: Outcome::parse(&r.outcome)?,
                method: SignInMethod::parse(&r.method)?,
                address: r.address,
                browser: r.browser,
            })
        })
        .collect())
}

/// Housekeeping: drops what is older than `before`, keeping the last [`SHOWN`] of every
/// account whatever their age.
pub fn prune(
    conn: &mut Conn,
    account_id: &str,
    before: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let keep: Vec<String> = h::table
        .filter(h::account_id.eq(account_id))
        .order((h::at.desc(), h::id.desc()))
        .limit(SHOWN)
        .select(h::id)
        .load(conn)?;
    Ok(diesel::delete(
        h::table
            .filter(h::account_id.eq(account_id))
            .filter(h::at.lt(to_db(before)))
            .filter(h::id.ne_all(keep)),
    )
    .execute(conn)?)
}

/// Housekeeping over every account: [`prune`] where something is older than `before`.
pub fn prune_all(conn: &mut Conn, before: DateTime<Utc>) -> Result<usize, StoreError> {
    let accounts: Vec<String> = h::table
        .filter(h::at.lt(to_db(before)))
        .select(h::account_id)
        .distinct()
        .load(conn)?;
    let mut pruned = 0;
    for account_id in accounts {
        pruned += prune(conn, &account_id, before)?;
    }
    Ok(pruned)
}
