//! Ad-hoc maintenance windows added by operators (the monthly ones are computed by the
//! domain's calendar, never stored).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::maintenance_windows as mw;
use crate::time::{from_db, new_id, to_db};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWindow {
    pub id: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
    pub created_by: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = mw)]
struct Row {
    id: String,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    reason: String,
    created_by: String,
}

impl From<Row> for StoredWindow {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            starts_at: from_db(r.starts_at),
            ends_at: from_db(r.ends_at),
            reason: r.reason,
            created_by: r.created_by,
        }
    }
}

pub fn add(
    conn: &mut Conn,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    reason: &str,
    created_by: &str,
    now: DateTime<Utc>,
) -> Result<StoredWindow, StoreError> {
    let id = new_id();
    diesel::insert_into(mw::table)
        .values((
            mw::id.eq(&id),
            mw::starts_at.eq(to_db(starts_at)),
            mw::ends_at.eq(to_db(ends_at)),
            mw::reason.eq(reason),
            mw::created_by.eq(created_by),
            mw::created_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(StoredWindow {
        id,
        starts_at: from_db(to_db(starts_at)),
        ends_at: from_db(to_db(ends_at)),
        reason: reason.to_owned(),
        created_by: created_by.to_owned(),
    })
}

/// Windows that have not ended by `from` (all when `None`), by start time.
pub fn list(conn: &mut Conn, from: Option<DateTime<Utc>>) -> Result<Vec<StoredWindow>, StoreError> {
    let mut query = mw::table.into_boxed();
    if let Some(t) = from {
        query = query.filter(mw::ends_at.gt(to_db(t)));
    }
    Ok(query
        .order((mw::starts_at.asc(), mw::id.asc()))
        .select(Row::as_select())
        .load::<Row>(conn)?
        .into_iter()
        .map(StoredWindow::from)
        .collect())
}

/// Removes a window; `NotFound` when no window has that ID.
pub fn remove(conn: &mut Conn, id: &str) -> Result<(), StoreError> {
    match diesel::delete(mw::table.find(id)).execute(conn)? {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};
    use chrono::Duration;

    each_backend!(windows_are_added_listed_from_a_time_and_removed);
    fn windows_are_added_listed_from_a_time_and_removed(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let past = add(
            &mut conn,
            now - Duration::hours(5),
            now - Duration::hours(4),
            "済み",
            "op",
            now,
        )
        .unwrap();
        let next = add(
            &mut conn,
            now + Duration::hours(1),
            now + Duration::hours(3),
            "DB 更新",
            "op",
            now,
        )
        .unwrap();
        let listed = list(&mut conn, Some(now)).unwrap();
        assert_eq!(listed, std::slice::from_ref(&next), "{}", db.backend);
        assert_eq!(list(&mut conn, None).unwrap().len(), 2);
        remove(&mut conn, &past.id).unwrap();
        assert!(matches!(
            remove(&mut conn, &past.id),
            Err(StoreError::NotFound)
        ));
        assert_eq!(list(&mut conn, None).unwrap(), [next]);
    }
}
