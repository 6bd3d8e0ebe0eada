//! Recovery codes (リカバリーコード): ten per set, stored as keyed hashes, each used once. A
//! new set replaces the old one entirely.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::recovery_codes as r;
use crate::time::{new_id, to_db};

/// Replaces the account's codes with `hashes`.
pub fn replace(
    conn: &mut Conn,
    account_id: &str,
    hashes: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    remove_all(conn, account_id)?;
    for hash in hashes {
        diesel::insert_into(r::table)
            .values((
                r::id.eq(new_id()),
                r::account_id.eq(account_id),
                r::code_hash.eq(hash),
                r::created_at.eq(to_db(now)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses the unused code with `hash`; false when there is none (wrong, or already used).
pub fn use_code(
    conn: &mut Conn,
    account_id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(diesel::update(
        r::table
            .filter(r::account_id.eq(account_id))
            .filter(r::code_hash.eq(hash))
            .filter(r::used_at.is_null()),
    )
    .set(r::used_at.eq(Some(to_db(now))))
    .execute(conn)?
        >= 1)
}

/// How many unused codes the account holds.
pub fn left(conn: &mut Conn, account_id: &str) -> Result<usize, StoreError> {
    let n: i64 = r::table
        .filter(r::account_id.eq(account_id))
        .filter(r::used_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

pub fn remove_all(conn: &mut Conn, account_id: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(r::table.filter(r::account_id.eq(account_id))).execute(conn)?)
}
