//! E-mail verification links: single use, 24 hours. The link's token is `<id>.<secret>`;
//! only an argon2id hash of the secret is stored, so a copy of the database opens nothing.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::email_verifications as ev;
use crate::time::{from_db, new_id, to_db};

/// A verification link. Its `Debug` leaves out the address and the secret's hash.
#[derive(Clone, PartialEq, Eq)]
pub struct Verification {
    pub id: String,
    pub account_id: String,
    pub email: String,
    pub secret_hash: String,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for Verification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verification")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .field("expires_at", &self.expires_at)
            .field("used_at", &self.used_at)
            .finish_non_exhaustive()
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ev)]
pub(crate) struct Row {
    id: String,
    account_id: String,
    email: String,
    secret_hash: String,
    expires_at: NaiveDateTime,
    used_at: Option<NaiveDateTime>,
}

/// Stores a new link for `email`; returns its ID (the first half of the token).
pub fn create(
    conn: &mut Conn,
    account_id: &str,
    email: &str,
    secret_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(ev::table)
        .values((
            ev::id.eq(&id),
            ev::account_id.eq(account_id),
            ev::email.eq(email),
            ev::secret_hash.eq(secret_hash),
            ev::expires_at.eq(to_db(expires_at)),
            ev::created_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn find(conn: &mut Conn, id: &str) -> Result<Option<Verification>, StoreError> {
    Ok(ev::table
        .find(id)
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(Verification::from))
}

/// Uses the link up; false when it was already used (a racing click).
pub fn mark_used(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(
        diesel::update(ev::table.find(id).filter(ev::used_at.is_null()))
            .set(ev::used_at.eq(Some(to_db(now))))
            .execute(conn)?
            == 1,
    )
}

/// The address of the account's open link, as a column of a query over `accounts`: the
/// account's newest link (by `created_at`, then by ID) when it is neither used nor expired at
/// `now` (a database timestamp) and the account's address is verified, else NULL. The rule of
/// [`newest_open`], as part of the page's one statement (`reads::page_query!`).
macro_rules! open_email_column {
    ($now:expr) => {{
        use $crate::schema::{accounts as a, email_verifications as ev};
        let now: chrono::NaiveDateTime = $now;
        ev::table
            .filter(ev::account_id.eq(a::id))
            .filter(a::email_verified.eq(true))
            .order((ev::created_at.desc(), ev::id.desc()))
            .select(diesel::dsl::case_when(
                ev::used_at.is_null().and(ev::expires_at.gt(now)),
                ev::email,
            ))
            .single_value()
    }};
}
pub(crate) use open_email_column;

/// The account's newest link that is neither used nor expired: the address waiting for
/// verification. A newer link supersedes the older ones.
pub fn newest_open(
    conn: &mut Conn,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Verification>, StoreError> {
    let newest: Option<Row> = ev::table
        .filter(ev::account_id.eq(account_id))
        .order((ev::created_at.desc(), ev::id.desc()))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(newest
        .filter(|r| r.used_at.is_none() && from_db(r.expires_at) > now)
        .map(Verification::from))
}

impl From<Row> for Verification {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            account_id: r.account_id,
            email: r.email,
            secret_hash: r.secret_hash,
            expires_at: from_db(r.expires_at),
            used_at: r.used_at.map(from_db),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{self, tests::member};
    use crate::testing::{TestDatabase, each_backend};
    use madoguchi_domain::onboarding::AccountState;

    each_backend!(a_link_is_used_once);
    fn a_link_is_used_once(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let m = member(&mut conn);
        let account = accounts::create(&mut conn, &m, AccountState::Active, now).unwrap();
        let id = create(
            &mut conn,
            &account.id,
            "a@example.jp",
            "$argon2id$x",
            now + chrono::Duration::hours(24),
            now,
        )
        .unwrap();
        let found = find(&mut conn, &id).unwrap().unwrap();
        assert_eq!(
            (found.email.as_str(), found.used_at),
            ("a@example.jp", None)
        );
        assert!(mark_used(&mut conn, &id, now).unwrap(), "{}", db.backend);
        assert!(
            !mark_used(&mut conn, &id, now).unwrap(),
            "{}: second use refused",
            db.backend
        );
        assert!(find(&mut conn, &id).unwrap().unwrap().used_at.is_some());
        assert_eq!(newest_open(&mut conn, &account.id, now).unwrap(), None);
        let later = now + chrono::Duration::seconds(1);
        let newer = create(
            &mut conn,
            &account.id,
            "b@example.jp",
            "$argon2id$y",
            later + chrono::Duration::hours(24),
            later,
        )
        .unwrap();
        let open = newest_open(&mut conn, &account.id, later).unwrap().unwrap();
        assert_eq!(
            (open.id.as_str(), open.email.as_str()),
            (newer.as_str(), "b@example.jp")
        );
        let expired = newest_open(&mut conn, &account.id, later + chrono::Duration::hours(25));
        assert_eq!(expired.unwrap(), None, "{}", db.backend);
        assert_eq!(find(&mut conn, "nope").unwrap(), None);
    }

    /// The address of the open link as the member's page reads it, in one statement with the
    /// account (`reads::page_query!`), on the pool's connections and, on PostgreSQL, on the
    /// asynchronous ones too.
    fn page_link(db: &TestDatabase, account_id: &str, at: DateTime<Utc>) -> Option<String> {
        let mut conn = db.conn();
        let (_, menu) = crate::reads::session(&mut conn, account_id, None, Some(at)).unwrap();
        let blocking = menu.unwrap().open_email;
        if let Some((reads, runtime)) = crate::reads::test_reads(db) {
            let read = runtime.block_on(reads.session(account_id, None, Some(at)));
            let (_, menu) = read.unwrap().unwrap();
            assert_eq!(menu.unwrap().open_email, blocking, "the asynchronous read");
        }
        blocking
    }

    /// The address `newest_open` finds, the rule on a list of links.
    fn listed(conn: &mut Conn, account_id: &str, at: DateTime<Utc>) -> Option<String> {
        newest_open(conn, account_id, at).unwrap().map(|v| v.email)
    }

    each_backend!(the_page_reads_the_newest_link_when_it_is_open);
    fn the_page_reads_the_newest_link_when_it_is_open(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let day = chrono::Duration::hours(24);
        let m = member(&mut conn);
        let account = accounts::create(&mut conn, &m, AccountState::Active, now).unwrap();
        let id = account.id.as_str();
        accounts::set_email(&mut conn, id, "old@example.jp", true, now).unwrap();
        let link = |conn: &mut Conn, email: &str, at: DateTime<Utc>| {
            create(conn, id, email, "$argon2id$x", at + day, at).unwrap()
        };
        let b = db.backend;
        let open = |email: &str| Some(email.to_owned());
        assert_eq!(page_link(&db, id, now), None, "{b}: no link");
        link(&mut conn, "a@example.jp", now);
        assert_eq!(page_link(&db, id, now), open("a@example.jp"), "{b}");
        // A newer link supersedes it; once used, no link is open, the older one neither.
        let later = now + chrono::Duration::seconds(1);
        let second = link(&mut conn, "b@example.jp", later);
        assert_eq!(page_link(&db, id, later), open("b@example.jp"), "{b}");
        assert!(mark_used(&mut conn, &second, later).unwrap());
        assert_eq!(page_link(&db, id, later), None, "{b}: used");
        assert_eq!(listed(&mut conn, id, later), None, "{b}: used, listed");
        // Two links of the same instant: the later ID is the newer, as `newest_open` has it.
        link(&mut conn, "c@example.jp", later);
        assert_eq!(listed(&mut conn, id, later), open("c@example.jp"), "{b}");
        assert_eq!(
            page_link(&db, id, later),
            open("c@example.jp"),
            "{b}: a tie"
        );
        // Expired, and an address not yet verified, show none.
        assert_eq!(page_link(&db, id, later + day), None, "{b}: expired");
        accounts::set_email(&mut conn, id, "new@example.jp", false, later).unwrap();
        assert_eq!(page_link(&db, id, later), None, "{b}: unverified");
    }
}
