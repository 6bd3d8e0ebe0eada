//! Passkeys (DESIGN §9, ADR 0020): the member's credentials as the WebAuthn library records
//! them (an opaque JSON document to this crate: public key, signature counter, flags), and the
//! state of a ceremony between its two requests, taken once.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::passkey_challenges as ch;
use crate::schema::passkeys as p;
use crate::time::{from_db, new_id, to_db};

/// What the member sees of a passkey (セキュリティ設定, `account show`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeySummary {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A stored passkey with what a sign-in checks it against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPasskey {
    pub id: String,
    pub account_id: String,
    pub user_handle: String,
    /// The library's record of the credential (JSON).
    pub credential: String,
}

/// A new passkey of an account.
pub struct NewPasskey<'a> {
    pub account_id: &'a str,
    pub user_handle: &'a str,
    /// The credential ID, base64url without padding.
    pub credential_id: &'a str,
    pub credential: &'a str,
    pub sign_count: u32,
    pub name: &'a str,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = p)]
struct SummaryRow {
    id: String,
    name: String,
    created_at: NaiveDateTime,
    last_used_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = p)]
struct Row {
    id: String,
    account_id: String,
    user_handle: String,
    credential: String,
}

/// Stores a new passkey; its ID.
pub fn add(
    conn: &mut Conn,
    new: &NewPasskey<'_>,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(p::table)
        .values((
            p::id.eq(&id),
            p::account_id.eq(new.account_id),
            p::user_handle.eq(new.user_handle),
            p::credential_id.eq(new.credential_id),
            p::credential.eq(new.credential),
            p::sign_count.eq(i64::from(new.sign_count)),
            p::name.eq(new.name),
            p::created_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The account's passkeys, oldest first (the order they were made in).
pub fn list(conn: &mut Conn, account_id: &str) -> Result<Vec<PasskeySummary>, StoreError> {
    Ok(p::table
        .filter(p::account_id.eq(account_id))
        .order((p::created_at.asc(), p::id.asc()))
        .select(SummaryRow::as_select())
        .load::<SummaryRow>(conn)?
        .into_iter()
        .map(|r| PasskeySummary {
            id: r.id,
            name: r.name,
            created_at: from_db(r.created_at),
            last_used_at: r.last_used_at.map(from_db),
        })
        .collect())
}

/// How many passkeys the account has.
pub fn count(conn: &mut Conn, account_id: &str) -> Result<usize, StoreError> {
    let n: i64 = p::table
        .filter(p::account_id.eq(account_id))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The account's credentials, for the registration to exclude (one authenticator, one passkey).
pub fn credentials(conn: &mut Conn, account_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(p::table
        .filter(p::account_id.eq(account_id))
        .select(p::credential)
        .load(conn)?)
}

/// The account's user handle while it has passkeys (every authenticator of one account keeps
/// the same one).
pub fn user_handle(conn: &mut Conn, account_id: &str) -> Result<Option<String>, StoreError> {
    Ok(p::table
        .filter(p::account_id.eq(account_id))
        .select(p::user_handle)
        .first(conn)
        .optional()?)
}

/// The passkey of a credential ID (base64url), whoever's it is.
pub fn by_credential_id(
    conn: &mut Conn,
    credential_id: &str,
) -> Result<Option<StoredPasskey>, StoreError> {
    Ok(p::table
        .filter(p::credential_id.eq(credential_id))
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(|r| StoredPasskey {
            id: r.id,
            account_id: r.account_id,
            user_handle: r.user_handle,
            credential: r.credential,
        }))
}

/// A sign-in with the passkey: when, and the library's updated record (its counter).
pub fn used(
    conn: &mut Conn,
    id: &str,
    credential: &str,
    sign_count: u32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(p::table.find(id))
        .set((
            p::credential.eq(credential),
            p::sign_count.eq(i64::from(sign_count)),
            p::last_used_at.eq(Some(to_db(now))),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes one passkey of the account; its name, or `None` when it is not the account's.
pub fn remove(conn: &mut Conn, account_id: &str, id: &str) -> Result<Option<String>, StoreError> {
    let mine = p::table
        .filter(p::account_id.eq(account_id))
        .filter(p::id.eq(id));
    let Some(name) = mine.select(p::name).first::<String>(conn).optional()? else {
        return Ok(None);
    };
    let removed = diesel::delete(mine).execute(conn)?;
    Ok((removed == 1).then_some(name))
}

/// Removes every passkey of the account (an operator's reset); how many.
pub fn remove_all(conn: &mut Conn, account_id: &str) -> Result<usize, StoreError> {
    diesel::delete(ch::table.filter(ch::account_id.eq(account_id))).execute(conn)?;
    Ok(diesel::delete(p::table.filter(p::account_id.eq(account_id))).execute(conn)?)
}

/// What a ceremony is for: each kind of state is taken only by its own second request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A member adds a passkey (their account is bound to the ceremony).
    Registration,
    /// Anybody signs in with a passkey.
    SignIn,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::SignIn => "sign_in",
        }
    }
}

/// A ceremony's state, kept until `expires_at`; its ID, which the client sends back.
pub fn begin_ceremony(
    conn: &mut Conn,
    purpose: Purpose,
    account_id: Option<&str>,
    state: &str,
    expires_at: DateTime<Utc>,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(ch::table)
        .values((
            ch::id.eq(&id),
            ch::purpose.eq(purpose.as_str()),
            ch::account_id.eq(account_id),
            ch::state.eq(state),
            ch::expires_at.eq(to_db(expires_at)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A taken ceremony: whose it was and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceremony {
    pub account_id: Option<String>,
    pub state: String,
}

/// Takes the ceremony's state: deleted in the same step, so two requests racing with one
/// challenge get it once. `None` when it is unknown, of another purpose, used or expired.
pub fn take_ceremony(
    conn: &mut Conn,
    id: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<Ceremony>, StoreError> {
    let this = ch::table
        .filter(ch::id.eq(id))
        .filter(ch::purpose.eq(purpose.as_str()))
        .filter(ch::expires_at.gt(to_db(now)));
    let Some((account_id, state)) = this
        .select((ch::account_id, ch::state))
        .first::<(Option<String>, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let taken = diesel::delete(ch::table.filter(ch::id.eq(id))).execute(conn)?;
    Ok((taken == 1).then_some(Ceremony { account_id, state }))
}

/// Deletes the ceremonies that expired before `now` (housekeeping); how many.
pub fn purge_ceremonies(conn: &mut Conn, now: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(diesel::delete(ch::table.filter(ch::expires_at.le(to_db(now)))).execute(conn)?)
}
