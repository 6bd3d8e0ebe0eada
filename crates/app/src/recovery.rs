//! 「IDを忘れた方」 and 「パスワードを忘れた方」 (DESIGN §3). The route checks the shape of
//! the input, applies the throttles and records the request; it never looks an account up, so
//! every request gets the same answer in the same time. The outbox worker then matches it
//! (`background::recovery`) and queues the e-mail in the transaction that marks it processed.
//!
//! Throttles: per client address (429, which tells nothing about any account) and per
//! submitted identifier (silently: the same 202, nothing recorded).

use chrono::{DateTime, Duration, Utc};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::recovery::{self, Request};
use madoguchi_persistence::{Conn, throttle, write_tx};

use crate::error::AppError;

/// Requests per client address in [`window`], then 429. Generous, like the login throttle: a
/// company's employees often share one address; the per-identifier limit guards each member.
pub const ADDRESS_LIMIT: u64 = 60;
/// Requests per submitted identifier in [`window`]; more are answered alike and dropped.
pub const IDENTIFIER_LIMIT: u64 = 3;

pub fn window() -> Duration {
    Duration::hours(1)
}

fn identifier(request: &Request) -> String {
    match request {
        Request::UserId { email, .. } => format!("recovery-email:{}", email.to_lowercase()),
        Request::Password { user_id, .. } => format!("recovery-user:{user_id}"),
    }
}

fn kind(request: &Request) -> &'static str {
    match request {
        Request::UserId { .. } => "user_id",
        Request::Password { .. } => "password",
    }
}

/// Throttles, records and audits one request. Runs in one transaction.
pub fn record(
    conn: &mut Conn,
    request: &Request,
    client: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_tx(conn, |c| {
        let by_address = throttle::hit(c, &format!("recovery-address:{client}"), window(), now)?;
        if by_address.hits > ADDRESS_LIMIT {
            return Err(AppError::TooManyAttempts {
                retry_after: u64::try_from((by_address.resets_at - now).num_seconds())
                    .unwrap_or(1)
                    .max(1),
            });
        }
        let by_identifier = throttle::hit(c, &identifier(request), window(), now)?;
        let accepted = by_identifier.hits <= IDENTIFIER_LIMIT;
        if accepted {
            recovery::record(c, request, client, now)?;
        }
        audit::record(
            c,
            &NewAuditEvent {
                tenant_id: None,
                member_code: None,
                actor: "anonymous",
                action: if accepted {
                    "recovery_requested"
                } else {
                    "recovery_throttled"
                },
                detail: serde_json::json!({ "kind": kind(request), "client": client }),
            },
            now,
        )?;
        Ok(())
    })
}
