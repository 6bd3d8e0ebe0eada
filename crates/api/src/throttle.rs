//! Failed logins and identity checks per client address (DESIGN §3): by default 60 failures
//! per address in 10 minutes, then 429 `too_many_attempts`. Generous on purpose (a company's
//! employees often share one NAT address); the per-account lockout is the real guard. The
//! counters are in the database, so every server of a deployment shares them.

use chrono::{DateTime, Duration, Utc};
use madoguchi_persistence::{Conn, throttle};

use crate::error::ApiError;

pub const FAILURE_LIMIT: u64 = 60;

pub fn window() -> Duration {
    Duration::minutes(10)
}

fn key(address: &str) -> String {
    format!("failures:{address}")
}

/// Refuses the request when the address has used up its failures.
pub fn check(conn: &mut Conn, address: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
    let count = throttle::peek(conn, &key(address), window(), now)?;
    if count.hits >= FAILURE_LIMIT {
        return Err(ApiError::TooManyAttempts {
            retry_after: u64::try_from((count.resets_at - now).num_seconds()).unwrap_or(1),
        });
    }
    Ok(())
}

/// Counts one failure of the address.
pub fn fail(conn: &mut Conn, address: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
    throttle::hit(conn, &key(address), window(), now)?;
    Ok(())
}
