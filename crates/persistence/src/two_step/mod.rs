//! The stored side of two-step login (DESIGN §9, ADR 0018): the authenticator app's sealed
//! seed, passkeys, recovery and e-mailed codes (hashes only), remembered browsers (token hashes only)
//! and the login history. The hashing and the sealing are the caller's: this crate sees only
//! what rests in the database.

pub mod devices;
pub mod email_codes;
pub mod history;
pub mod passkeys;
pub mod recovery_codes;
pub mod totp;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use madoguchi_domain::two_step::Factors;

use crate::db::Conn;
use crate::error::StoreError;

/// What the account has enrolled, for the sign-in's decision and the security page.
pub fn factors(
    conn: &mut Conn,
    account_id: &str,
    email_verified: bool,
) -> Result<Factors, StoreError> {
    Ok(Factors {
        totp: totp::find(conn, account_id)?.is_some_and(|t| t.confirmed),
        passkeys: passkeys::count(conn, account_id)?,
        email_verified,
        recovery_codes_left: recovery_codes::left(conn, account_id)?,
    })
}

/// An operator's reset: the app, the passkeys, the recovery codes and the remembered browsers
/// go (and the unused e-mailed codes with them). The login history stays: it is the member's record.
pub fn remove_all(conn: &mut Conn, account_id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    totp::remove(conn, account_id)?;
    passkeys::remove_all(conn, account_id)?;
    recovery_codes::remove_all(conn, account_id)?;
    devices::forget_all(conn, account_id)?;
    email_codes::use_up_all(conn, account_id, now)?;
    Ok(())
}
