//! Accounts: one per member once credentials are first issued. The state column holds the
//! long-lived life-cycle state (Provisioned, Active, Suspended); the onboarding steps live in
//! short-lived tokens, not here (DESIGN §2).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::onboarding::AccountState;

use crate::db::{Conn, on_backend};
use crate::error::StoreError;
use crate::members::Member;
use crate::schema::accounts;
use crate::time::{from_db, new_id, to_db};

/// An account. Its `Debug` leaves out the user ID and the e-mail address.
#[derive(Clone, PartialEq, Eq)]
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

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("member_id", &self.member_id)
            .field("state", &self.state)
            .field("email_verified", &self.email_verified)
            .field("failed_attempts", &self.failed_attempts)
            .field("locked_until", &self.locked_until)
            .field("session_version", &self.session_version)
            .finish_non_exhaustive()
    }
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

/// An account with its roster row, its tenant and its password hash: what a signed-in
/// request needs, read in one query (the session check of DESIGN §3 uses no cache).
#[derive(Clone)]
pub struct AccountView {
    pub account: Account,
    pub member: Member,
    pub tenant: crate::tenants::Tenant,
    pub password_hash: Option<String>,
}

/// Without the password hash.
impl std::fmt::Debug for AccountView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountView")
            .field("account", &self.account)
            .field("member", &self.member)
            .field("tenant", &self.tenant.insurer_number)
            .finish_non_exhaustive()
    }
}

/// The account with this ID, with its member and tenant.
pub fn view(conn: &mut Conn, id: &str) -> Result<Option<AccountView>, StoreError> {
    load_view(conn, ViewKey::Id(id))
}

/// The active or suspended account whose user ID matches case-insensitively.
pub fn view_by_user_id(
    conn: &mut Conn,
    user_id_canonical: &str,
) -> Result<Option<AccountView>, StoreError> {
    load_view(conn, ViewKey::UserId(user_id_canonical))
}

enum ViewKey<'a> {
    Id(&'a str),
    UserId(&'a str),
}

fn load_view(conn: &mut Conn, key: ViewKey<'_>) -> Result<Option<AccountView>, StoreError> {
    use crate::schema::{members, tenants};
    type Joined = (Row, Option<String>, Member, crate::tenants::Row);
    // Plain queries on the backend's own connection rather than one boxed query through
    // `Conn`: a plain query's prepared statement is found in the connection's cache by its
    // type, without writing its SQL out first. And `get_result`, not `first`: a bound
    // `LIMIT ?` makes SQLite re-prepare the statement on every run (the planner reads bound
    // LIMITs). This lookup serves every request with a token; the key is unique, so there is
    // at most one row anyway.
    macro_rules! by {
        ($filter:expr) => {
            on_backend!(conn, |c| accounts::table
                .inner_join(members::table.inner_join(tenants::table))
                .filter($filter)
                .select((
                    Row::as_select(),
                    accounts::password_hash,
                    Member::as_select(),
                    crate::tenants::Row::as_select(),
                ))
                .get_result::<Joined>(c))
        };
    }
    let row = match key {
        ViewKey::Id(id) => by!(accounts::id.eq(id)),
        ViewKey::UserId(canonical) => by!(accounts::user_id_canonical.eq(canonical)),
    }
    .optional()?;
    row.map(|(account, password_hash, member, tenant)| {
        Ok(AccountView {
            account: account.try_into()?,
            member,
            tenant: tenant.into(),
            password_hash,
        })
    })
    .transpose()
}

/// Reserves one attempt before a password is verified or identity data compared (DESIGN §2):
/// one atomic update that succeeds only while fewer than `max` consecutive failures are
/// recorded, so a parallel burst gets no more than `max` guesses. Returns the count including
/// this attempt, or `None` when no attempt is left. A success undoes it with [`clear_failures`].
pub fn reserve_attempt(
    conn: &mut Conn,
    id: &str,
    max: u32,
    now: DateTime<Utc>,
) -> Result<Option<u32>, StoreError> {
    let updated = diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::failed_attempts.lt(i64::from(max)))
            .filter(
                accounts::locked_until
                    .is_null()
                    .or(accounts::locked_until.le(to_db(now))),
            ),
    )
    .set(accounts::failed_attempts.eq(accounts::failed_attempts + 1_i64))
    .execute(conn)?;
    if updated == 0 {
        return Ok(None);
    }
    let count: i64 = accounts::table
        .find(id)
        .select(accounts::failed_attempts)
        .first(conn)?;
    Ok(Some(u32::try_from(count).unwrap_or(u32::MAX)))
}

/// A lock that ended leaves its count behind; the next attempt starts from zero.
pub fn expire_lock(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::locked_until.le(to_db(now))),
    )
    .set((
        accounts::failed_attempts.eq(0_i64),
        accounts::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Resets the consecutive failures after a success.
pub fn clear_failures(conn: &mut Conn, id: &str) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set(accounts::failed_attempts.eq(0_i64))
        .execute(conn)?;
    Ok(())
}

/// Locks the account until `until` (the failure that reached the limit).
pub fn lock(conn: &mut Conn, id: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set(accounts::locked_until.eq(Some(to_db(until))))
        .execute(conn)?;
    Ok(())
}

/// A successful login: failures reset, the previous login kept for the member's menu.
pub fn record_login(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::failed_attempts.eq(0_i64),
            accounts::previous_login_at.eq(accounts::last_login_at),
            accounts::last_login_at.eq(Some(to_db(now))),
        ))
        .execute(conn)?;
    Ok(())
}

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

/// The member's own credentials, chosen at registration.
#[derive(Debug, Clone)]
pub struct Registration<'a> {
    pub user_id: &'a str,
    pub user_id_canonical: &'a str,
    pub password_hash: &'a str,
    pub email: &'a str,
    pub notify_on_update: bool,
}

/// Makes a Provisioned account Active with the member's credentials. Returns false when the
/// account is no longer Provisioned (a racing commit won); `Conflict` when the user ID is taken.
pub fn register(
    conn: &mut Conn,
    id: &str,
    r: &Registration<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::state.eq(AccountState::Provisioned.as_str())),
    )
    .set((
        accounts::state.eq(AccountState::Active.as_str()),
        accounts::user_id.eq(Some(r.user_id)),
        accounts::user_id_canonical.eq(Some(r.user_id_canonical)),
        accounts::password_hash.eq(Some(r.password_hash)),
        accounts::email.eq(Some(r.email)),
        accounts::email_verified.eq(false),
        accounts::notify_on_update.eq(r.notify_on_update),
        accounts::failed_attempts.eq(0_i64),
        accounts::session_version.eq(accounts::session_version + 1_i64),
        // The session that registers is the member's first sign-in: the next one shows it.
        accounts::last_login_at.eq(Some(to_db(now))),
        accounts::updated_at.eq(to_db(now)),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Whether a user ID (canonical, lower-case) is taken by any account.
pub fn user_id_taken(conn: &mut Conn, user_id_canonical: &str) -> Result<bool, StoreError> {
    let n: i64 = accounts::table
        .filter(accounts::user_id_canonical.eq(user_id_canonical))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
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

/// Active accounts whose verified address matches `email` (case-insensitively) and whose
/// member was born on `birth_date` (YYYYMMDD): the forgot-user-ID search.
pub fn active_by_verified_email_and_birth_date(
    conn: &mut Conn,
    email: &str,
    birth_date: &str,
) -> Result<Vec<AccountView>, StoreError> {
    use crate::schema::{members, tenants};
    let rows: Vec<(Row, Option<String>, Member, crate::tenants::Row)> = accounts::table
        .inner_join(members::table.inner_join(tenants::table))
        .filter(members::birth_date.eq(birth_date))
        .filter(accounts::state.eq(AccountState::Active.as_str()))
        .filter(accounts::email_verified.eq(true))
        .select((
            Row::as_select(),
            accounts::password_hash,
            Member::as_select(),
            crate::tenants::Row::as_select(),
        ))
        .load(conn)?;
    let wanted = email.to_lowercase();
    rows.into_iter()
        .filter(|(a, ..)| a.email.as_deref().map(str::to_lowercase).as_deref() == Some(&wanted))
        .map(|(account, password_hash, member, tenant)| {
            Ok(AccountView {
                account: account.try_into()?,
                member,
                tenant: tenant.into(),
                password_hash,
            })
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};
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

    each_backend!(user_ids_are_unique_whatever_their_case);
    fn user_ids_are_unique_whatever_their_case(db: TestDatabase) {
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

    each_backend!(a_parallel_burst_gets_no_more_than_the_allowed_attempts);
    fn a_parallel_burst_gets_no_more_than_the_allowed_attempts(db: TestDatabase) {
        let now = Utc::now();
        let account = {
            let mut conn = db.conn();
            let m = member(&mut conn);
            create(&mut conn, &m, AccountState::Active, now).unwrap()
        };
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let pool = db.pool.clone();
                let id = account.id.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    (0..5)
                        .filter(|_| reserve_attempt(&mut conn, &id, 5, now).unwrap().is_some())
                        .count()
                })
            })
            .collect();
        let granted: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(granted, 5, "{}", db.backend);
        let mut conn = db.conn();
        lock(&mut conn, &account.id, now + chrono::Duration::minutes(30)).unwrap();
        assert_eq!(
            reserve_attempt(&mut conn, &account.id, 5, now).unwrap(),
            None
        );
        // Once the lock has ended, counting starts again.
        let later = now + chrono::Duration::minutes(31);
        expire_lock(&mut conn, &account.id, later).unwrap();
        assert_eq!(
            reserve_attempt(&mut conn, &account.id, 5, later).unwrap(),
            Some(1),
            "{}",
            db.backend
        );
        clear_failures(&mut conn, &account.id).unwrap();
        assert_eq!(get(&mut conn, &account.id).unwrap().failed_attempts, 0);
    }

    each_backend!(registration_happens_once_and_logins_keep_the_previous_time);
    fn registration_happens_once_and_logins_keep_the_previous_time(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let m = member(&mut conn);
        let account = create(&mut conn, &m, AccountState::Provisioned, now).unwrap();
        let r = Registration {
            user_id: "Takahashi01",
            user_id_canonical: "takahashi01",
            password_hash: "$argon2id$x",
            email: "ichiro@example.jp",
            notify_on_update: true,
        };
        assert!(
            register(&mut conn, &account.id, &r, now).unwrap(),
            "{}",
            db.backend
        );
        assert!(
            !register(&mut conn, &account.id, &r, now).unwrap(),
            "{}: only once",
            db.backend
        );
        assert!(user_id_taken(&mut conn, "takahashi01").unwrap());
        let v = view_by_user_id(&mut conn, "takahashi01").unwrap().unwrap();
        assert_eq!(
            (v.account.state, v.account.session_version),
            (AccountState::Active, 2)
        );
        assert_eq!(
            (
                v.member.member_code.as_str(),
                v.tenant.insurer_number.as_str()
            ),
            ("1-1-00", "06130090")
        );
        assert_eq!(v.password_hash.as_deref(), Some("$argon2id$x"));
        record_login(&mut conn, &account.id, now).unwrap();
        let later = now + chrono::Duration::hours(1);
        record_login(&mut conn, &account.id, later).unwrap();
        let after = get(&mut conn, &account.id).unwrap();
        assert_eq!(
            after.previous_login_at,
            Some(crate::time::from_db(to_db(now))),
            "{}",
            db.backend
        );
        assert_eq!(bump_session(&mut conn, &account.id, now).unwrap(), 3);
    }
}
