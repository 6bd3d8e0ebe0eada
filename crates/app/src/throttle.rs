//! Limits counted in the database, so every server of a deployment shares them (DESIGN §3).
//!
//! - Failed logins, identity checks and password checks per client address: 60 in 10 minutes,
//!   then 429 `too_many_attempts`. Generous on purpose (a company's employees often share one
//!   NAT address); the per-account lockout is the real guard. Like the lockout, an attempt is
//!   reserved before the secret is verified (one atomic increment that refuses past the limit)
//!   and given back when it succeeds, so a parallel burst gets no more verifications than the
//!   limit.
//! - `user_id_taken` answers per account: more than 20 in 10 minutes → 429, so the
//!   registration screen is no fast oracle of which user IDs exist.

use chrono::{DateTime, Duration, Utc};
use madoguchi_persistence::{Conn, throttle};

use crate::error::AppError;

/// One kind of counted event: its key prefix, how many a window allows, and the window.
pub struct Limit {
    prefix: &'static str,
    pub allowed: u64,
    window_minutes: i64,
}

impl Limit {
    pub fn window(&self) -> Duration {
        Duration::minutes(self.window_minutes)
    }

    fn key(&self, subject: &str) -> String {
        format!("{}:{subject}", self.prefix)
    }

    fn refused(&self, resets_at: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
        AppError::TooManyAttempts {
            retry_after: u64::try_from((resets_at - now).num_seconds()).unwrap_or(1),
        }
    }
}

/// Failed attempts at a secret or an identity, per client address.
pub const FAILURES: Limit = Limit {
    prefix: "failures",
    allowed: 60,
    window_minutes: 10,
};

/// Passkey sign-in ceremonies begun per client address: a sign-in screen opened many times
/// stays far below; a script filling the table with ceremonies does not.
pub const PASSKEY_CEREMONIES: Limit = Limit {
    prefix: "passkey-ceremonies",
    allowed: 300,
    window_minutes: 10,
};

/// `user_id_taken` answers per account (registration's check and commit).
pub const USER_ID_TAKEN: Limit = Limit {
    prefix: "user-id-taken",
    allowed: 20,
    window_minutes: 10,
};

/// Reserves one event of `subject` before the work it limits: 429 when the window's
/// allowance is used up (nothing is counted then).
pub fn reserve(
    conn: &mut Conn,
    limit: &Limit,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    throttle::reserve(
        conn,
        &limit.key(subject),
        limit.window(),
        limit.allowed,
        now,
    )?
    .map(drop)
    .map_err(|count| limit.refused(count.resets_at, now))
}

/// Takes back a reservation that turned out not to count (the attempt succeeded).
pub fn give_back(
    conn: &mut Conn,
    limit: &Limit,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    throttle::give_back(conn, &limit.key(subject), limit.window(), now)?;
    Ok(())
}

/// 429 when `subject` has used up the window's allowance, without counting anything.
pub fn check(
    conn: &mut Conn,
    limit: &Limit,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let count = throttle::peek(conn, &limit.key(subject), limit.window(), now)?;
    if count.hits >= limit.allowed {
        return Err(limit.refused(count.resets_at, now));
    }
    Ok(())
}
