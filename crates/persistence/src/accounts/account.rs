//! The account record and its reads by key.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::onboarding::AccountState;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::accounts;
use crate::time::from_db;

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
    /// Mail a notice of every sign-in from a browser that is not remembered (DESIGN §9).
    pub notify_on_login: bool,
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

/// The `accounts` row as diesel reads it: it stays inside this module, which hands out
/// [`Account`].
#[derive(Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub(crate) struct Row {
    id: String,
    member_id: String,
    state: String,
    user_id: Option<String>,
    pub(super) email: Option<String>,
    email_verified: bool,
    notify_on_update: bool,
    failed_attempts: i64,
    locked_until: Option<NaiveDateTime>,
    session_version: i64,
    last_login_at: Option<NaiveDateTime>,
    previous_login_at: Option<NaiveDateTime>,
    notify_on_login: bool,
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
            notify_on_login: r.notify_on_login,
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
