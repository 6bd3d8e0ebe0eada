//! お知らせ (notices, DESIGN §10, ADR 0021): a tenant's notices, each member's read marks, and
//! the progress of the e-mail that announces a published notice (`fanout`).
//!
//! A member sees a notice of their own tenant from `publish_at` until it is withdrawn; every
//! member query filters by tenant, time and withdrawal here, so no caller can forget one.

pub mod fanout;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::{notice_reads as r, notices as n};
use crate::time::{from_db, new_id, to_db};

/// A notice as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: String,
    pub tenant_id: String,
    pub title: String,
    pub body: String,
    pub publish_at: DateTime<Utc>,
    pub important: bool,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// When every opted-in member's e-mail was in the outbox; `None` until then.
    pub fanned_out_at: Option<DateTime<Utc>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = n)]
struct Row {
    id: String,
    tenant_id: String,
    title: String,
    body: String,
    publish_at: NaiveDateTime,
    important: bool,
    withdrawn_at: Option<NaiveDateTime>,
    created_by: String,
    created_at: NaiveDateTime,
    fanned_out_at: Option<NaiveDateTime>,
}

impl From<Row> for Notice {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            tenant_id: r.tenant_id,
            title: r.title,
            body: r.body,
            publish_at: from_db(r.publish_at),
            important: r.important,
            withdrawn_at: r.withdrawn_at.map(from_db),
            created_by: r.created_by,
            created_at: from_db(r.created_at),
            fanned_out_at: r.fanned_out_at.map(from_db),
        }
    }
}

/// What the operator posts (already parsed by `domain::notices`).
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub tenant_id: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub publish_at: DateTime<Utc>,
    pub important: bool,
    pub created_by: &'a str,
}

pub fn add(conn: &mut Conn, new: &NewNotice<'_>, now: DateTime<Utc>) -> Result<Notice, StoreError> {
    let id = new_id();
    diesel::insert_into(n::table)
        .values((
            n::id.eq(&id),
            n::tenant_id.eq(new.tenant_id),
            n::title.eq(new.title),
            n::body.eq(new.body),
            n::publish_at.eq(to_db(new.publish_at)),
            n::important.eq(new.important),
            n::created_by.eq(new.created_by),
            n::created_at.eq(to_db(now)),
            n::fanout_cursor.eq(""),
        ))
        .execute(conn)?;
    get(conn, &id)?.ok_or(StoreError::NotFound)
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Option<Notice>, StoreError> {
    Ok(n::table
        .find(id)
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(Notice::from))
}

/// Every notice of the tenant (scheduled and withdrawn too), latest `publish_at` first.
pub fn list_for_tenant(conn: &mut Conn, tenant_id: &str) -> Result<Vec<Notice>, StoreError> {
    Ok(n::table
        .filter(n::tenant_id.eq(tenant_id))
        .order((n::publish_at.desc(), n::id.desc()))
        .select(Row::as_select())
        .load::<Row>(conn)?
        .into_iter()
        .map(Notice::from)
        .collect())
}

/// Withdraws a notice: members no longer see it, and its e-mail stops where it is (a
/// scheduled notice is never mailed). `Ok(false)` when it was already withdrawn.
pub fn withdraw(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    if get(conn, id)?.is_none() {
        return Err(StoreError::NotFound);
    }
    Ok(
        diesel::update(n::table.find(id).filter(n::withdrawn_at.is_null()))
            .set(n::withdrawn_at.eq(Some(to_db(now))))
            .execute(conn)?
            == 1,
    )
}

/// A notice as a member sees it in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub id: String,
    pub title: String,
    pub published_at: DateTime<Utc>,
    pub important: bool,
    pub read: bool,
}

#[derive(Queryable)]
struct SeenRow {
    id: String,
    title: String,
    publish_at: NaiveDateTime,
    important: bool,
}

/// The tenant's notices a member sees at `now` (published, not withdrawn), newest first, each
/// with whether this account has opened it.
pub fn published(
    conn: &mut Conn,
    tenant_id: &str,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Seen>, StoreError> {
    let rows: Vec<SeenRow> = n::table
        .filter(n::tenant_id.eq(tenant_id))
        .filter(n::publish_at.le(to_db(now)))
        .filter(n::withdrawn_at.is_null().or(n::withdrawn_at.gt(to_db(now))))
        .order((n::publish_at.desc(), n::id.desc()))
        .select((n::id, n::title, n::publish_at, n::important))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    let read: Vec<String> = r::table
        .filter(r::account_id.eq(account_id))
        .filter(r::notice_id.eq_any(&ids))
        .select(r::notice_id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| Seen {
            read: read.contains(&row.id),
            id: row.id,
            title: row.title,
            published_at: from_db(row.publish_at),
            important: row.important,
        })
        .collect())
}

/// One notice a member may see at `now`, with its body, marked read for the account; `None`
/// for another tenant's, a scheduled, a withdrawn or an unknown notice alike.
pub fn open(
    conn: &mut Conn,
    tenant_id: &str,
    account_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Seen, String)>, StoreError> {
    let found: Option<(SeenRow, String)> = n::table
        .filter(n::id.eq(id))
        .filter(n::tenant_id.eq(tenant_id))
        .filter(n::publish_at.le(to_db(now)))
        .filter(n::withdrawn_at.is_null().or(n::withdrawn_at.gt(to_db(now))))
        .select(((n::id, n::title, n::publish_at, n::important), n::body))
        .first(conn)
        .optional()?;
    let Some((row, body)) = found else {
        return Ok(None);
    };
    let already = r::table
        .filter(r::notice_id.eq(id))
        .filter(r::account_id.eq(account_id))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !already {
        let marked = diesel::insert_into(r::table)
            .values((
                r::notice_id.eq(id),
                r::account_id.eq(account_id),
                r::read_at.eq(to_db(now)),
            ))
            .execute(conn)
            .map_err(StoreError::from);
        // Two devices of the household opening it at once: the first mark stands.
        match marked {
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some((
        Seen {
            id: row.id,
            title: row.title,
            published_at: from_db(row.publish_at),
            important: row.important,
            read: true,
        },
        body,
    )))
}

/// How many of the notices the member sees at `now` (a database timestamp) the account has
/// not opened, as a column of a query over `accounts ⋈ members`: a subquery correlated with
/// the outer query's account and member, so that the page's read (`reads::page_query!`) is one
/// statement on every backend and connection kind.
macro_rules! unread_column {
    ($now:expr) => {{
        use $crate::schema::{accounts as a, members as m, notice_reads as r, notices as n};
        let now: chrono::NaiveDateTime = $now;
        // A correlated NOT EXISTS, no `IN (SELECT …)`: SQLite answers those through a
        // temporary table whose page cache takes a process-wide lock, and the workers would
        // queue on it.
        let opened = r::table
            .filter(r::notice_id.eq(n::id))
            .filter(r::account_id.eq(a::id));
        n::table
            .filter(n::tenant_id.eq(m::tenant_id))
            .filter(n::publish_at.le(now))
            .filter(n::withdrawn_at.is_null().or(n::withdrawn_at.gt(now)))
            .filter(diesel::dsl::not(diesel::dsl::exists(opened)))
            .count()
            .single_value()
    }};
}
pub(crate) use unread_column;
