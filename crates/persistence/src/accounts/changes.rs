//! What a signed-in member changes (password, e-mail address, notification) and the session
//! revocation that goes with it.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::accounts;
use crate::time::to_db;

/// Revokes every token of the account (logout, password change); returns the new version.
pub fn bump_session(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<i64, StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::session_version.eq(accounts::session_version + 1_i64),
            accounts::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(accounts::table
        .find(id)
        .select(accounts::session_version)
        .first(conn)?)
}

/// Sets a new password (change or recovery): every older token is revoked, the failure count
/// cleared. Returns the new session version.
pub fn set_password(
    conn: &mut Conn,
    id: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::password_hash.eq(Some(password_hash)),
            accounts::failed_attempts.eq(0_i64),
            accounts::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    bump_session(conn, id, now)
}

/// Sets the account's address: verified when its link was just used, or unverified when it
/// replaces an address that was never verified (a verified one stays until the new one's link
/// is used).
pub fn set_email(
    conn: &mut Conn,
    id: &str,
    email: &str,
    verified: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::email.eq(Some(email)),
            accounts::email_verified.eq(verified),
            accounts::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// 「通知情報更新時のメール通知」.
pub fn set_notify(
    conn: &mut Conn,
    id: &str,
    notify_on_update: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::notify_on_update.eq(notify_on_update),
            accounts::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// 「ログイン通知」: a notice of every sign-in from a browser that is not remembered.
pub fn set_notify_on_login(
    conn: &mut Conn,
    id: &str,
    notify_on_login: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::notify_on_login.eq(notify_on_login),
            accounts::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}
