//! Accounts: one per member once credentials are first issued. The state column holds the
//! long-lived life-cycle state (Provisioned, Active, Suspended); the onboarding steps live in
//! short-lived tokens, not here (DESIGN §2).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::onboarding::AccountState;

use crate::db::Conn;
use crate::error::StoreError;
use crate::members::Member;
use crate::schema::accounts;
use crate::time::{from_db, new_id, to_db};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub member_id: String,
    pub state: AccountState,
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub email_verified: bool,
    pub notify_on_update: bool,
    pub failed_attempts: u32,
    pub locked_until: Option<DateTime<Utc>>,
    /// Bumped by logout, password change and suspension: every older token is revoked.
    pub session_version: i64,
    pub last_login_at: Option<DateTime<Utc>>,
    pub previous_login_at: Option<DateTime<Utc>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub(crate) struct Row {
    id: String,
    member_id: String,
    state: String,
    user_id: Option<String>,
    email: Option<String>,
    email_verified: bool,
    notify_on_update: bool,
    failed_attempts: i64,
    locked_until: Option<NaiveDateTime>,
    session_version: i64,
    last_login_at: Option<NaiveDateTime>,
    previous_login_at: Option<NaiveDateTime>,
}

impl TryFrom<Row> for Account {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        let state = AccountState::parse(&r.state)
            .ok_or_else(|| StoreError::Config(format!("unknown account state {:?}", r.state)))?;
        Ok(Self {
            id: r.id,
            member_id: r.member_id,
            state,
            user_id: r.user_id,
            email: r.email,
            email_verified: r.email_verified,
            notify_on_update: r.notify_on_update,
            failed_attempts: u32::try_from(r.failed_attempts).unwrap_or(u32::MAX),
            locked_until: r.locked_until.map(from_db),
            session_version: r.session_version,
            last_login_at: r.last_login_at.map(from_db),
            previous_login_at: r.previous_login_at.map(from_db),
        })
    }
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Account, StoreError> {
    accounts::table
        .find(id)
        .select(Row::as_select())
        .first::<Row>(conn)?
        .try_into()
}

pub fn find_by_member(conn: &mut Conn, member_id: &str) -> Result<Option<Account>, StoreError> {
    accounts::table
        .filter(accounts::member_id.eq(member_id))
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(Account::try_from)
        .transpose()
}

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

/// Suspends (資格喪失) a member's account and retires its temporary credentials, creating a
/// suspended account if none was ever issued so that `credentials issue` never issues for
/// them. Returns false when already suspended.
pub fn suspend_member(
    conn: &mut Conn,
    member: &Member,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    match find_by_member(conn, &member.id)? {
        Some(a) if a.state == AccountState::Suspended => Ok(false),
        Some(a) => {
            crate::temporary_credentials::retire_all(conn, &a.id, now)?;
            set_state(conn, &a.id, AccountState::Suspended, now).map(|_| true)
        }
        None => create(conn, member, AccountState::Suspended, now).map(|_| true),
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
pub(crate) mod tests {
    use super::*;
    use crate::testing::databases;
    use madoguchi_domain::insurer_number::InsurerNumber;
    use madoguchi_domain::roster::{RosterEntry, RosterInput};

    /// A tenant with one member, for the tests of the tables that hang off accounts.
    pub(crate) fn member(conn: &mut Conn) -> Member {
        let now = Utc::now();
        let tenant =
            crate::tenants::insert(conn, &InsurerNumber::parse("06130090").unwrap(), "A", now)
                .unwrap();
        let entry = RosterEntry::parse(
            RosterInput {
                member_code: "1-1-00",
                family_name: "髙橋",
                given_name: "",
                family_name_kana: "",
                given_name_kana: "",
                birth_date: "19790822",
                postal_code: "",
                address: "",
            },
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        )
        .unwrap();
        crate::members::import(conn, &tenant.id, &[entry], false, now).unwrap();
        crate::members::find_by_code(conn, &tenant.id, "1-1-00")
            .unwrap()
            .unwrap()
    }

    #[test]
    fn state_changes_revoke_tokens_and_unlock_clears_the_lock() {
        for db in databases() {
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
            let suspended =
                set_state(&mut conn, &account.id, AccountState::Suspended, now).unwrap();
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
                .execute(&mut conn)
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

    #[test]
    fn user_ids_are_unique_whatever_their_case() {
        for db in databases() {
            let mut conn = db.conn();
            let now = Utc::now();
            let m = member(&mut conn);
            let tenant_id = m.tenant_id.clone();
            let a = create(&mut conn, &m, AccountState::Active, now).unwrap();
            let entry = madoguchi_domain::roster::RosterEntry::parse(
                madoguchi_domain::roster::RosterInput {
                    member_code: "1-2-00",
                    family_name: "山﨑",
                    given_name: "",
                    family_name_kana: "",
                    given_name_kana: "",
                    birth_date: "19850315",
                    postal_code: "",
                    address: "",
                },
                chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            )
            .unwrap();
            crate::members::import(&mut conn, &tenant_id, &[entry], false, now).unwrap();
            let m2 = crate::members::find_by_code(&mut conn, &tenant_id, "1-2-00")
                .unwrap()
                .unwrap();
            let b = create(&mut conn, &m2, AccountState::Active, now).unwrap();
            let set_user_id = |conn: &mut Conn, id: &str, user_id: &str| {
                diesel::update(accounts::table.find(id))
                    .set((
                        accounts::user_id.eq(user_id),
                        accounts::user_id_canonical.eq(user_id.to_ascii_lowercase()),
                    ))
                    .execute(conn)
                    .map_err(StoreError::from)
            };
            set_user_id(&mut conn, &a.id, "Takahashi01").unwrap();
            let err = set_user_id(&mut conn, &b.id, "TAKAHASHI01").unwrap_err();
            assert!(err.is_conflict(), "{}: {err}", db.backend);
        }
    }
}
