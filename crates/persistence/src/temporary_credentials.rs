//! Temporary credentials (仮ユーザID / 仮パスワード): argon2id hashes only. A retired row is
//! kept, so a temporary ID is never handed out twice.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::{Conn, on_backend};
use crate::error::StoreError;
use crate::schema::temporary_credentials as tc;
use crate::time::{from_db, new_id, to_db};

/// Why the credential was issued; it decides where the login leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Printed on the postcard by `credentials issue` or `account reissue` of a Provisioned account.
    Postcard,
    /// `account reissue` of an Active account: a password only, leading to `change_password`.
    OperatorReissue,
    /// The password-recovery e-mail: a password only, valid 24 hours.
    EmailReissue,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Postcard => "postcard",
            Self::OperatorReissue => "operator_reissue",
            Self::EmailReissue => "email_reissue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Postcard, Self::OperatorReissue, Self::EmailReissue]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// A temporary credential. Its `Debug` leaves out the temporary ID and the password hash.
#[derive(Clone, PartialEq, Eq)]
pub struct TemporaryCredential {
    pub id: String,
    pub account_id: String,
    pub login_id: Option<String>,
    pub password_hash: String,
    pub purpose: Purpose,
    pub expires_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for TemporaryCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemporaryCredential")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .field("purpose", &self.purpose)
            .field("expires_at", &self.expires_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = tc)]
pub(crate) struct Row {
    id: String,
    account_id: String,
    login_id: Option<String>,
    password_hash: String,
    purpose: String,
    expires_at: NaiveDateTime,
    retired_at: Option<NaiveDateTime>,
}

impl From<Row> for TemporaryCredential {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            account_id: r.account_id,
            login_id: r.login_id,
            password_hash: r.password_hash,
            purpose: Purpose::parse(&r.purpose).unwrap_or(Purpose::Postcard),
            expires_at: from_db(r.expires_at),
            retired_at: r.retired_at.map(from_db),
        }
    }
}

/// A credential about to be stored (its `Debug` leaves the ID and the hash out).
#[derive(Clone)]
pub struct NewTemporaryCredential<'a> {
    pub account_id: &'a str,
    pub login_id: Option<&'a str>,
    pub password_hash: &'a str,
    pub purpose: Purpose,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewTemporaryCredential<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewTemporaryCredential")
            .field("account_id", &self.account_id)
            .field("purpose", &self.purpose)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Retires the account's pending credentials (a member holds at most one) and stores `new`.
/// `Conflict` when the temporary ID was ever used before.
pub fn replace(
    conn: &mut Conn,
    new: &NewTemporaryCredential<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    retire_all(conn, new.account_id, now)?;
    diesel::insert_into(tc::table)
        .values((
            tc::id.eq(new_id()),
            tc::account_id.eq(new.account_id),
            tc::login_id.eq(new.login_id),
            tc::password_hash.eq(new.password_hash),
            tc::purpose.eq(new.purpose.as_str()),
            tc::expires_at.eq(to_db(new.expires_at)),
            tc::created_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Retires every credential of the account not yet retired; returns how many.
pub fn retire_all(
    conn: &mut Conn,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        tc::table
            .filter(tc::account_id.eq(account_id))
            .filter(tc::retired_at.is_null()),
    )
    .set(tc::retired_at.eq(to_db(now)))
    .execute(conn)?)
}

/// The account's credential that is neither retired nor expired at `now`, if any.
pub fn pending(
    conn: &mut Conn,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<TemporaryCredential>, StoreError> {
    Ok(tc::table
        .filter(tc::account_id.eq(account_id))
        .filter(tc::retired_at.is_null())
        .filter(tc::expires_at.gt(to_db(now)))
        .order(tc::created_at.desc())
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(TemporaryCredential::from))
}

/// The account's newest credential not yet retired, expired or not.
pub fn unretired(
    conn: &mut Conn,
    account_id: &str,
) -> Result<Option<TemporaryCredential>, StoreError> {
    Ok(tc::table
        .filter(tc::account_id.eq(account_id))
        .filter(tc::retired_at.is_null())
        .order(tc::created_at.desc())
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(TemporaryCredential::from))
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Option<TemporaryCredential>, StoreError> {
    // On the backend's own connection, and no bound LIMIT: this serves every onboarding
    // request (see `accounts::view`).
    Ok(on_backend!(conn, |c| tc::table
        .find(id)
        .select(Row::as_select())
        .get_result::<Row>(c))
    .optional()?
    .map(TemporaryCredential::from))
}

/// Retires one credential for good; false when it was already retired (a racing commit).
pub fn retire(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(
        diesel::update(tc::table.find(id).filter(tc::retired_at.is_null()))
            .set(tc::retired_at.eq(to_db(now)))
            .execute(conn)?
            == 1,
    )
}

/// The credential with this temporary ID, retired or not (the caller decides).
pub fn find_by_login_id(
    conn: &mut Conn,
    login_id: &str,
) -> Result<Option<TemporaryCredential>, StoreError> {
    Ok(tc::table
        .filter(tc::login_id.eq(login_id))
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(TemporaryCredential::from))
}

/// Which of `login_ids` were ever issued (to draw new random ones before writing a postcard).
pub fn existing_login_ids(conn: &mut Conn, login_ids: &[&str]) -> Result<Vec<String>, StoreError> {
    let mut found = Vec::new();
    // Chunks stay under SQLite's bound-parameter limit.
    for chunk in login_ids.chunks(500) {
        found.extend(
            tc::table
                .filter(tc::login_id.eq_any(chunk))
                .select(tc::login_id.assume_not_null())
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{self, tests::member};
    use crate::testing::{TestDatabase, each_backend};
    use chrono::Duration;
    use madoguchi_domain::onboarding::AccountState;

    each_backend!(a_new_credential_retires_the_old_and_ids_are_never_reused);
    fn a_new_credential_retires_the_old_and_ids_are_never_reused(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let m = member(&mut conn);
        let account = accounts::create(&mut conn, &m, AccountState::Provisioned, now).unwrap();
        let first = NewTemporaryCredential {
            account_id: &account.id,
            login_id: Some("1234567890123"),
            password_hash: "$argon2id$first",
            purpose: Purpose::Postcard,
            expires_at: now + Duration::days(90),
        };
        replace(&mut conn, &first, now).unwrap();
        assert_eq!(
            pending(&mut conn, &account.id, now)
                .unwrap()
                .and_then(|c| c.login_id),
            Some("1234567890123".into())
        );

        let second = NewTemporaryCredential {
            login_id: Some("9876543210987"),
            password_hash: "$argon2id$second",
            ..first.clone()
        };
        replace(&mut conn, &second, now).unwrap();
        let now_pending = pending(&mut conn, &account.id, now).unwrap().unwrap();
        assert_eq!(
            now_pending.login_id.as_deref(),
            Some("9876543210987"),
            "{}",
            db.backend
        );
        let retired = find_by_login_id(&mut conn, "1234567890123")
            .unwrap()
            .unwrap();
        assert!(
            retired.retired_at.is_some(),
            "{}: the old postcard is retired",
            db.backend
        );

        // The retired ID stays taken.
        let err = replace(&mut conn, &first, now).unwrap_err();
        assert!(err.is_conflict(), "{}: {err}", db.backend);
        let mut ids = existing_login_ids(
            &mut conn,
            &["1234567890123", "9876543210987", "1111111111111"],
        )
        .unwrap();
        ids.sort();
        assert_eq!(ids, ["1234567890123", "9876543210987"]);
    }

    each_backend!(expired_credentials_are_not_pending);
    fn expired_credentials_are_not_pending(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let m = member(&mut conn);
        let account = accounts::create(&mut conn, &m, AccountState::Active, now).unwrap();
        let reissue = NewTemporaryCredential {
            account_id: &account.id,
            login_id: None,
            password_hash: "$argon2id$x",
            purpose: Purpose::OperatorReissue,
            expires_at: now + Duration::hours(24),
        };
        replace(&mut conn, &reissue, now).unwrap();
        let found = pending(&mut conn, &account.id, now).unwrap().unwrap();
        assert_eq!(
            (found.purpose, found.login_id),
            (Purpose::OperatorReissue, None)
        );
        assert_eq!(
            pending(&mut conn, &account.id, now + Duration::hours(24)).unwrap(),
            None,
            "{}",
            db.backend
        );
        // Password-only credentials (no login ID) may be many across accounts: NULL is not unique.
        assert_eq!(retire_all(&mut conn, &account.id, now).unwrap(), 1);
        assert_eq!(pending(&mut conn, &account.id, now).unwrap(), None);
    }
}
