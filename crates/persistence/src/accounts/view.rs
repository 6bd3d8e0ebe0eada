//! The account with its member, tenant and password hash, read in one query: what a
//! signed-in request and a sign-in need.

use diesel::prelude::*;
use madoguchi_domain::onboarding::AccountState;

use super::{Account, Row};
use crate::db::{Conn, on_backend};
use crate::error::StoreError;
use crate::members::{Member, MemberRow};
use crate::schema::accounts;

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

/// The view's query for one key: the account joined with its member and tenant. A macro, so
/// that the blocking and the asynchronous PostgreSQL paths (`crate::reads`) run the same query
/// with its concrete type (a plain query's prepared statement is found in the connection's
/// cache by its type, without writing its SQL out first).
macro_rules! view_query {
    ($filter:expr) => {{
        use $crate::schema::{accounts, members, tenants};
        accounts::table
            .inner_join(members::table.inner_join(tenants::table))
            .filter($filter)
            .select((
                $crate::accounts::Row::as_select(),
                accounts::password_hash,
                $crate::members::MemberRow::as_select(),
                $crate::tenants::Row::as_select(),
            ))
    }};
}
pub(crate) use view_query;

/// One row of [`view_query!`].
pub(crate) type Joined = (Row, Option<String>, MemberRow, crate::tenants::Row);

fn load_view(conn: &mut Conn, key: ViewKey<'_>) -> Result<Option<AccountView>, StoreError> {
    // On the backend's own connection rather than one boxed query through `Conn` (see
    // `view_query!`). And `get_result`, not `first`: a bound `LIMIT ?` makes SQLite re-prepare
    // the statement on every run (the planner reads bound LIMITs). This lookup serves every
    // request with a token; the key is unique, so there is at most one row anyway.
    let row = match key {
        ViewKey::Id(id) => on_backend!(conn, |c| view_query!(accounts::id.eq(id))
            .get_result::<Joined>(c)),
        ViewKey::UserId(canonical) => on_backend!(conn, |c| view_query!(
            accounts::user_id_canonical.eq(canonical)
        )
        .get_result::<Joined>(c)),
    }
    .optional()?;
    row.map(into_view).transpose()
}

/// The view of one joined row.
pub(crate) fn into_view(
    (account, password_hash, member, tenant): Joined,
) -> Result<AccountView, StoreError> {
    Ok(AccountView {
        account: account.try_into()?,
        member: member.into(),
        tenant: tenant.into(),
        password_hash,
    })
}

/// Active accounts whose verified address matches `email` (case-insensitively) and whose
/// member was born on `birth_date` (YYYYMMDD): the forgot-user-ID search.
pub fn active_by_verified_email_and_birth_date(
    conn: &mut Conn,
    email: &str,
    birth_date: &str,
) -> Result<Vec<AccountView>, StoreError> {
    use crate::schema::{members, tenants};
    let rows: Vec<(Row, Option<String>, MemberRow, crate::tenants::Row)> = accounts::table
        .inner_join(members::table.inner_join(tenants::table))
        .filter(members::birth_date.eq(birth_date))
        .filter(accounts::state.eq(AccountState::Active.as_str()))
        .filter(accounts::email_verified.eq(true))
        .select((
            Row::as_select(),
            accounts::password_hash,
            MemberRow::as_select(),
            crate::tenants::Row::as_select(),
        ))
        .load(conn)?;
    let wanted = email.to_lowercase();
    rows.into_iter()
        .filter(|(a, ..)| a.email.as_deref().map(str::to_lowercase).as_deref() == Some(&wanted))
        .map(|(account, password_hash, member, tenant)| {
            Ok(AccountView {
                account: account.try_into()?,
                member: member.into(),
                tenant: tenant.into(),
                password_hash,
            })
        })
        .collect()
}
