//! Remembered browsers (この端末を記憶する): the cookie's random token is stored only as its
//! SHA-256, so a copy of the database remembers no browser.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::remembered_devices as d;
use crate::time::{from_db, new_id, to_db};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub browser: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = d)]
struct Row {
    id: String,
    browser: String,
    created_at: NaiveDateTime,
    last_used_at: NaiveDateTime,
}

impl From<Row> for Device {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            browser: r.browser,
            created_at: from_db(r.created_at),
            last_used_at: from_db(r.last_used_at),
        }
    }
}

pub fn remember(
    conn: &mut Conn,
    account_id: &str,
    token_hash: &str,
    browser: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(d::table)
        .values((
            d::id.eq(&id),
            d::account_id.eq(account_id),
            d::token_hash.eq(token_hash),
            d::browser.eq(browser),
            d::created_at.eq(to_db(now)),
            d::last_used_at.eq(to_db(now)),
            d::expires_at.eq(to_db(expires_at)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Whether the token is a living remembered browser of the account; marks it used.
pub fn recognise(
    conn: &mut Conn,
    account_id: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(diesel::update(
        d::table
            .filter(d::account_id.eq(account_id))
            .filter(d::token_hash.eq(token_hash))
            .filter(d::expires_at.gt(to_db(now))),
    )
    .set(d::last_used_at.eq(to_db(now)))
    .execute(conn)?
        == 1)
}

/// The account's living remembered browsers, newest first.
pub fn list(
    conn: &mut Conn,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Device>, StoreError> {
    Ok(d::table
        .filter(d::account_id.eq(account_id))
        .filter(d::expires_at.gt(to_db(now)))
        .order((d::created_at.desc(), d::id.desc()))
        .select(Row::as_select())
        .load::<Row>(conn)?
        .into_iter()
        .map(Device::from)
        .collect())
}

/// Forgets one browser of the account; false when it is not the account's.
pub fn forget(conn: &mut Conn, account_id: &str, id: &str) -> Result<bool, StoreError> {
    Ok(diesel::delete(
        d::table
            .filter(d::account_id.eq(account_id))
            .filter(d::id.eq(id)),
    )
    .execute(conn)?
        == 1)
}

/// Forgets every browser of the account (password change, recovery, operator reset).
pub fn forget_all(conn: &mut Conn, account_id: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(d::table.filter(d::account_id.eq(account_id))).execute(conn)?)
}
