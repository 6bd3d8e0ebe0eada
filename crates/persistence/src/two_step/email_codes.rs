//! E-mailed codes (メールの確認コード): hashed, 10 minutes, used once, 5 an hour.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::two_step::email_code::SentCode;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::email_codes as e;
use crate::time::{from_db, new_id, to_db};

/// A stored code. Its `Debug` leaves out the hash.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredCode {
    pub id: String,
    pub code_hash: String,
    pub sent: SentCode,
}

impl std::fmt::Debug for StoredCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredCode")
            .field("id", &self.id)
            .field("sent", &self.sent)
            .finish_non_exhaustive()
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = e)]
struct Row {
    id: String,
    code_hash: String,
    sent_at: NaiveDateTime,
    used_at: Option<NaiveDateTime>,
}

pub fn create(
    conn: &mut Conn,
    account_id: &str,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(e::table)
        .values((
            e::id.eq(&id),
            e::account_id.eq(account_id),
            e::code_hash.eq(code_hash),
            e::sent_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// When the account's codes of the last `since` were sent (the five-an-hour rule).
pub fn sent_since(
    conn: &mut Conn,
    account_id: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    Ok(e::table
        .filter(e::account_id.eq(account_id))
        .filter(e::sent_at.gt(to_db(since)))
        .select(e::sent_at)
        .load::<NaiveDateTime>(conn)?
        .into_iter()
        .map(from_db)
        .collect())
}

/// The account's newest code: only the last one mailed works (an older mail may be read by
/// whoever opens the mailbox later).
pub fn newest(conn: &mut Conn, account_id: &str) -> Result<Option<StoredCode>, StoreError> {
    let rows: Vec<Row> = e::table
        .filter(e::account_id.eq(account_id))
        .order((e::sent_at.desc(), e::id.desc()))
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().next().map(|r| StoredCode {
        id: r.id,
        code_hash: r.code_hash,
        sent: SentCode {
            sent_at: from_db(r.sent_at),
            used_at: r.used_at.map(from_db),
        },
    }))
}

/// Uses the code up; false when a racing request did first.
pub fn mark_used(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(
        diesel::update(e::table.find(id).filter(e::used_at.is_null()))
            .set(e::used_at.eq(Some(to_db(now))))
            .execute(conn)?
            == 1,
    )
}

/// Uses up every unused code (an operator's reset).
pub fn use_up_all(conn: &mut Conn, account_id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(
        e::table
            .filter(e::account_id.eq(account_id))
            .filter(e::used_at.is_null()),
    )
    .set(e::used_at.eq(Some(to_db(now))))
    .execute(conn)?;
    Ok(())
}
