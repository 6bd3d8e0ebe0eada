//! The account's life-cycle state: created when credentials are first issued, suspended and
//! reinstated by the operator, unlocked by the operator.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::onboarding::{AccountState, Event, Flow};

use super::{Account, find_by_member, get};
use crate::db::Conn;
use crate::error::StoreError;
use crate::members::Member;
use crate::schema::accounts;
use crate::time::{new_id, to_db};

/// Creates the member's account in `state` (Provisioned when credentials are first issued).
pub fn create(
    conn: &mut Conn,
    member: &Member,
    state: AccountState,
    now: DateTime<Utc>,
) -> Result<Account, StoreError> {
    let id = new_id();
    diesel::insert_into(accounts::table)
        .values((
            accounts::id.eq(&id),
            accounts::member_id.eq(&member.id),
            accounts::state.eq(state.as_str()),
            accounts::email_verified.eq(false),
            accounts::notify_on_update.eq(false),
            accounts::failed_attempts.eq(0_i64),
            accounts::session_version.eq(1_i64),
            accounts::created_at.eq(to_db(now)),
            accounts::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    get(conn, &id)
}

/// Moves an account to `state`, bumping the session version so that every token issued
/// before is revoked.
pub fn set_state(
    conn: &mut Conn,
    id: &str,
    state: AccountState,
    now: DateTime<Utc>,
) -> Result<Account, StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::state.eq(state.as_str()),
            accounts::session_version.eq(accounts::session_version + 1_i64),
            accounts::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    get(conn, id)
}

/// Suspends (資格喪失) a member's account as the life cycle's `Suspend` says (no session and
/// no temporary credential survive), creating a suspended account if none was ever issued so
/// that `credentials issue` never issues for them. Returns false when already suspended.
pub fn suspend_member(
    conn: &mut Conn,
    member: &Member,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let (account, flow) = match find_by_member(conn, &member.id)? {
        Some(a) => {
            let pending = crate::temporary_credentials::pending(conn, &a.id, now)?;
            let expires = pending.map(|p| p.expires_at);
            let flow = Flow::new(a.state, a.user_id.is_some(), expires);
            (Some(a), flow)
        }
        None => (None, Flow::new(AccountState::Provisioned, false, None)),
    };
    let Ok(next) = flow.next(Event::Suspend, now) else {
        return Ok(false);
    };
    match account {
        Some(a) => {
            if next.temporary_expires_at.is_none() {
                crate::temporary_credentials::retire_all(conn, &a.id, now)?;
            }
            set_state(conn, &a.id, next.state, now).map(|_| true)
        }
        None => create(conn, member, next.state, now).map(|_| true),
    }
}

/// Clears the failure count and the lock (operator `account unlock`).
pub fn unlock(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<Account, StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::failed_attempts.eq(0_i64),
            accounts::locked_until.eq(None::<NaiveDateTime>),
            accounts::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    get(conn, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::tests::member;
    use crate::testing::{TestDatabase, each_backend};

    each_backend!(state_changes_revoke_tokens_and_unlock_clears_the_lock);
    fn state_changes_revoke_tokens_and_unlock_clears_the_lock(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let m = member(&mut conn);
        let account = create(&mut conn, &m, AccountState::Provisioned, now).unwrap();
        assert_eq!(
            (
                account.state,
                account.session_version,
                account.failed_attempts
            ),
            (AccountState::Provisioned, 1, 0)
        );
        assert!(
            create(&mut conn, &m, AccountState::Provisioned, now)
                .unwrap_err()
                .is_conflict(),
            "one account per member"
        );
        let suspended = set_state(&mut conn, &account.id, AccountState::Suspended, now).unwrap();
        assert_eq!(
            (suspended.state, suspended.session_version),
            (AccountState::Suspended, 2),
            "{}",
            db.backend
        );
        diesel::update(accounts::table.find(&account.id))
            .set((
                accounts::failed_attempts.eq(5_i64),
                accounts::locked_until.eq(Some(to_db(now))),
            ))
            .execute(&mut **conn)
            .unwrap();
        let unlocked = unlock(&mut conn, &account.id, now).unwrap();
        assert_eq!(
            (unlocked.failed_attempts, unlocked.locked_until),
            (0, None),
            "{}",
            db.backend
        );
    }
}
