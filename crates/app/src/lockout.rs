//! Consecutive failures and the lock (DESIGN §2), shared by the login, the identity check and
//! the password checks. An attempt is reserved before the secret is verified or the identity
//! compared, so a parallel burst gets no more than five guesses.

use chrono::{DateTime, Utc};
use madoguchi_domain::lockout::LockoutPolicy;
use madoguchi_persistence::Conn;
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::audit::{self, NewAuditEvent};

use crate::error::AppError;
use crate::mail;

pub fn policy(view: &AccountView) -> LockoutPolicy {
    LockoutPolicy::from_minutes(view.tenant.lockout_minutes)
}

/// Refuses a locked account (nothing verified) and reserves one attempt.
pub fn reserve(conn: &mut Conn, view: &AccountView, now: DateTime<Utc>) -> Result<(), AppError> {
    let policy = policy(view);
    if let Some(until) = view.account.locked_until {
        if policy.is_locked(Some(until), now) {
            return Err(locked(view, until, now));
        }
        accounts::expire_lock(conn, &view.account.id, now)?;
    }
    match accounts::reserve_attempt(conn, &view.account.id, policy.max_failures, now)? {
        Some(_) => Ok(()),
        // Another request of the same burst used the last attempt and is locking the account.
        None => Err(locked(view, now + policy.lock_for, now)),
    }
}

/// The refusal of an account locked until `until` (without the contact: see
/// [`AppError::with_contact`]).
pub fn locked(view: &AccountView, until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    AppError::Locked {
        until,
        retry_after: policy(view).retry_after_seconds(until, now),
        contact: None,
    }
}

/// What a failed attempt did to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// Counted; from the third failure in a row, the tries left (see
    /// `LockoutPolicy::warning_after_failure`).
    Counted { warning: Option<u32> },
    /// The last try allowed: the account is locked until then.
    Locked { until: DateTime<Utc> },
}

/// After a failed attempt: audits it, and locks the account when it was the last one allowed,
/// telling the member by e-mail.
pub fn failed(
    conn: &mut Conn,
    view: &AccountView,
    action: &str,
    mail_domain: &str,
    now: DateTime<Utc>,
) -> Result<Failed, AppError> {
    let policy = policy(view);
    let failures = accounts::get(conn, &view.account.id)?.failed_attempts;
    audit(
        conn,
        view,
        action,
        serde_json::json!({ "consecutive_failures": failures }),
        now,
    )?;
    if let Some(until) = policy.lock_after_failure(failures, now) {
        accounts::lock(conn, &view.account.id, until)?;
        audit(
            conn,
            view,
            "account_locked",
            serde_json::json!({ "until": until.to_rfc3339() }),
            now,
        )?;
        if let Some(email) = &view.account.email {
            mail::enqueue(
                conn,
                &mail::templates::account_locked(email, &view.tenant.name, until),
                &view.tenant,
                mail_domain,
                now,
            )?;
        }
        return Ok(Failed::Locked { until });
    }
    Ok(Failed::Counted {
        warning: policy.warning_after_failure(failures),
    })
}

/// Records a member's event in the audit trail.
pub fn audit(
    conn: &mut Conn,
    view: &AccountView,
    action: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &NewAuditEvent {
            tenant_id: Some(&view.tenant.id),
            member_code: Some(&view.member.member_code),
            actor: "member",
            action,
            detail,
        },
        now,
    )?;
    Ok(())
}
