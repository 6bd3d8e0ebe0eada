//! What a kenpo's operator does to one member's account (`madoguchi account …`): suspend
//! (資格喪失), reinstate, unlock and the gate of a reissue. Each asks the state machine and
//! stores what it returns, audited in the same transaction, so an operator's action and a
//! member's flow cannot drift apart.

use chrono::{DateTime, Utc};
use madoguchi_domain::onboarding::{AccountState, Event, Flow};
use madoguchi_persistence::accounts::{self, Account};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::members::Member;
use madoguchi_persistence::{Conn, temporary_credentials, write_tx};

use crate::error::AppError;

/// The account's place in the life cycle as stored (nobody signed in).
fn flow_of(conn: &mut Conn, account: &Account, now: DateTime<Utc>) -> Result<Flow, AppError> {
    let pending = temporary_credentials::pending(conn, &account.id, now)?;
    Ok(Flow::new(
        account.state,
        account.user_id.is_some(),
        pending.map(|p| p.expires_at),
    ))
}

fn audited(
    conn: &mut Conn,
    member: &Member,
    actor: &str,
    action: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &NewAuditEvent {
            tenant_id: Some(&member.tenant_id),
            member_code: Some(&member.member_code),
            actor,
            action,
            detail: serde_json::json!({}),
        },
        now,
    )?;
    Ok(())
}

/// Suspends the member's account: every session ends and no temporary password survives (the
/// state machine's `Suspend`, as the roster import's 資格喪失 does). A member without an
/// account gets a suspended one, so that `credentials issue` never issues for them.
/// `AccountSuspended` when it already is.
pub fn suspend(
    conn: &mut Conn,
    member: &Member,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_tx(conn, |c| {
        if !accounts::suspend_member(c, member, now)? {
            return Err(AppError::AccountSuspended);
        }
        audited(c, member, actor, "account_suspended", now)
    })
}

/// Undoes a suspension: Active again when the member had registered, else Provisioned (a new
/// postcard is then needed). `NotSuspended` when the account is not suspended.
pub fn reinstate(
    conn: &mut Conn,
    member: &Member,
    account: &Account,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<AccountState, AppError> {
    write_tx(conn, |c| {
        let next = flow_of(c, account, now)?
            .next(Event::Reinstate, now)
            .map_err(AppError::refused)?;
        if next.temporary_expires_at.is_none() {
            temporary_credentials::retire_all(c, &account.id, now)?;
        }
        accounts::set_state(c, &account.id, next.state, now)?;
        audited(c, member, actor, "account_reinstated", now)?;
        Ok(next.state)
    })
}

/// Clears the failure count and the lock.
pub fn unlock(
    conn: &mut Conn,
    member: &Member,
    account: &Account,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_tx(conn, |c| {
        accounts::unlock(c, &account.id, now)?;
        audited(c, member, actor, "account_unlocked", now)
    })
}

/// An operator's reset of two-step login (a lost phone and no recovery codes): the app, the
/// recovery codes and the remembered browsers go, every session ends, and the member is told
/// by e-mail. The member then signs in with the password alone (or an e-mailed code, where
/// the kenpo requires two-step login) and may enrol again.
pub fn reset_two_step(
    conn: &mut Conn,
    member: &Member,
    account: &Account,
    actor: &str,
    mail_domain: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_tx(conn, |c| {
        madoguchi_persistence::two_step::remove_all(c, &account.id, now)?;
        accounts::bump_session(c, &account.id, now)?;
        audited(c, member, actor, "two_step_reset", now)?;
        if let Some(email) = &account.email {
            let tenant = madoguchi_persistence::tenants::get(c, &member.tenant_id)?;
            let notice = crate::mail::templates::factor_changed(
                email,
                &tenant.name,
                crate::mail::templates::FactorChange::ResetByOperator,
                now,
            );
            crate::mail::enqueue(c, &notice, &tenant, mail_domain, now)?;
        }
        Ok(())
    })
}

/// Whether new temporary credentials valid until `expires_at` may be issued for the account
/// (`None`: the member has none yet): the state machine's `Reissue`, which a suspended account
/// refuses. The returned flow says whether the member keeps a user ID (a password-only
/// reissue) or gets a new postcard.
pub fn reissue(
    conn: &mut Conn,
    account: Option<&Account>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Flow, AppError> {
    let flow = match account {
        Some(account) => flow_of(conn, account, now)?,
        None => Flow::new(AccountState::Provisioned, false, None),
    };
    flow.next(Event::Reissue { expires_at }, now)
        .map_err(AppError::refused)
}
