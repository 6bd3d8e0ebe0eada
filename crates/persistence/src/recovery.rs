//! Forgot-user-ID and forgot-password requests (DESIGN §3). The route only records one; the
//! outbox worker takes it, matches it against the accounts and queues any e-mail in the same
//! transaction that marks it processed, so each request is handled once even when several
//! servers share the database.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::recovery_requests as rr;
use crate::time::{from_db, new_id, to_db};

/// What the member asked for. Its `Debug` names the kind only: the address, the birth date
/// and the user ID never reach a log line through `{:?}`.
#[derive(Clone, PartialEq, Eq)]
pub enum Request {
    /// 「IDを忘れた方」: the e-mail address and the birth date (YYYYMMDD).
    UserId { email: String, birth_date: String },
    /// 「パスワードを忘れた方」: the user ID (canonical) and the e-mail address.
    Password { user_id: String, email: String },
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Request::UserId { .. } => f.write_str("Request::UserId { .. }"),
            Request::Password { .. } => f.write_str("Request::Password { .. }"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: String,
    pub request: Request,
    pub client: String,
    pub requested_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = rr)]
struct Row {
    id: String,
    kind: String,
    email: String,
    birth_date: Option<String>,
    user_id: Option<String>,
    client: String,
    requested_at: NaiveDateTime,
}

const USER_ID: &str = "user_id";
const PASSWORD: &str = "password";

pub fn record(
    conn: &mut Conn,
    request: &Request,
    client: &str,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let id = new_id();
    let (kind, email, birth_date, user_id) = match request {
        Request::UserId { email, birth_date } => (USER_ID, email, Some(birth_date), None),
        Request::Password { user_id, email } => (PASSWORD, email, None, Some(user_id)),
    };
    diesel::insert_into(rr::table)
        .values((
            rr::id.eq(&id),
            rr::kind.eq(kind),
            rr::email.eq(email),
            rr::birth_date.eq(birth_date),
            rr::user_id.eq(user_id),
            rr::client.eq(client),
            rr::requested_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Requests not yet processed, oldest first.
pub fn pending(conn: &mut Conn, limit: i64) -> Result<Vec<Pending>, StoreError> {
    let rows: Vec<Row> = rr::table
        .filter(rr::processed_at.is_null())
        .order((rr::requested_at.asc(), rr::id.asc()))
        .limit(limit)
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let request = match (r.kind.as_str(), r.birth_date, r.user_id) {
                (USER_ID, Some(birth_date), _) => Request::UserId {
                    email: r.email,
                    birth_date,
                },
                (PASSWORD, _, Some(user_id)) => Request::Password {
                    user_id,
                    email: r.email,
                },
                _ => return None,
            };
            Some(Pending {
                id: r.id,
                request,
                client: r.client,
                requested_at: from_db(r.requested_at),
            })
        })
        .collect())
}

/// Takes the request for processing; false when another server took it first. Call inside
/// the transaction that queues the request's e-mail.
pub fn take(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(
        diesel::update(rr::table.find(id).filter(rr::processed_at.is_null()))
            .set(rr::processed_at.eq(Some(to_db(now))))
            .execute(conn)?
            == 1,
    )
}

/// Deletes requests processed before `before`: they hold e-mail addresses and birth dates, and
/// the audit trail keeps the record of each request. Returns how many went.
pub fn purge_processed(conn: &mut Conn, before: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(diesel::delete(rr::table.filter(rr::processed_at.lt(to_db(before)))).execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};
    use crate::write_tx;

    each_backend!(requests_are_recorded_listed_and_taken_once);
    fn requests_are_recorded_listed_and_taken_once(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let forgot_id = Request::UserId {
            email: "ichiro@example.jp".into(),
            birth_date: "19790822".into(),
        };
        let forgot_password = Request::Password {
            user_id: "takahashi01".into(),
            email: "ichiro@example.jp".into(),
        };
        let first = record(&mut conn, &forgot_id, "192.0.2.1", now).unwrap();
        record(&mut conn, &forgot_password, "192.0.2.1", now).unwrap();
        let listed = pending(&mut conn, 10).unwrap();
        assert_eq!(listed.len(), 2, "{}", db.backend);
        assert!(listed.iter().any(|p| p.request == forgot_id));
        assert!(listed.iter().any(|p| p.request == forgot_password));
        let taken = write_tx(&mut conn, |c| take(c, &first, now)).unwrap();
        assert!(taken, "{}", db.backend);
        assert!(
            !take(&mut conn, &first, now).unwrap(),
            "{}: only once",
            db.backend
        );
        assert_eq!(pending(&mut conn, 10).unwrap().len(), 1, "{}", db.backend);
        assert_eq!(
            purge_processed(&mut conn, now).unwrap(),
            0,
            "{}",
            db.backend
        );
        let later = now + chrono::Duration::days(8);
        assert_eq!(
            purge_processed(&mut conn, later).unwrap(),
            1,
            "{}",
            db.backend
        );
        assert_eq!(
            pending(&mut conn, 10).unwrap().len(),
            1,
            "unprocessed ones stay"
        );
    }
}
