//! The audit trail: who did what to which member, newest last. Never holds a secret, a name
//! or a birth date: `detail` carries counts and outcomes only.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::audit_events as ae;
use crate::time::{from_db, new_id, to_db};

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: String,
    pub tenant_id: Option<String>,
    pub member_code: Option<String>,
    /// `operator:<os user>@<host>`, `member`, or `system`.
    pub actor: String,
    /// Stable snake_case name, e.g. `credentials_issued`, `account_locked`.
    pub action: String,
    pub detail: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

/// An event about to be recorded.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub tenant_id: Option<&'a str>,
    pub member_code: Option<&'a str>,
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: serde_json::Value,
}

pub fn record(
    conn: &mut Conn,
    event: &NewAuditEvent<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(ae::table)
        .values((
            ae::id.eq(new_id()),
            ae::tenant_id.eq(event.tenant_id),
            ae::member_code.eq(event.member_code),
            ae::actor.eq(event.actor),
            ae::action.eq(event.action),
            ae::detail.eq(event.detail.to_string()),
            ae::occurred_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ae)]
struct Row {
    id: String,
    tenant_id: Option<String>,
    member_code: Option<String>,
    actor: String,
    action: String,
    detail: String,
    occurred_at: NaiveDateTime,
}

/// A tenant's events and the deployment-wide ones (maintenance windows), or only one
/// member's, optionally since a time; oldest first.
pub fn list(
    conn: &mut Conn,
    tenant_id: &str,
    member_code: Option<&str>,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<AuditEvent>, StoreError> {
    let mut query = ae::table.into_boxed();
    query = match member_code {
        Some(code) => query
            .filter(ae::tenant_id.eq(tenant_id))
            .filter(ae::member_code.eq(code)),
        None => query.filter(ae::tenant_id.eq(tenant_id).or(ae::tenant_id.is_null())),
    };
    if let Some(t) = since {
        query = query.filter(ae::occurred_at.ge(to_db(t)));
    }
    let rows = query
        .order((ae::occurred_at.asc(), ae::id.asc()))
        .select(Row::as_select())
        .load::<Row>(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEvent {
            id: r.id,
            tenant_id: r.tenant_id,
            member_code: r.member_code,
            actor: r.actor,
            action: r.action,
            detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::String(r.detail)),
            occurred_at: from_db(r.occurred_at),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};
    use chrono::Duration;

    each_backend!(events_list_oldest_first_with_filters);
    fn events_list_oldest_first_with_filters(db: TestDatabase) {
        let mut conn = db.conn();
        let t0 = Utc::now();
        let event = |member: Option<&'static str>, action: &'static str| NewAuditEvent {
            tenant_id: Some("T"),
            member_code: member,
            actor: "operator:tester@host",
            action,
            detail: serde_json::json!({"count": 1}),
        };
        record(&mut conn, &event(None, "members_imported"), t0).unwrap();
        record(
            &mut conn,
            &event(Some("1-1"), "credentials_issued"),
            t0 + Duration::seconds(1),
        )
        .unwrap();
        record(
            &mut conn,
            &event(Some("1-2"), "account_locked"),
            t0 + Duration::seconds(2),
        )
        .unwrap();
        record(
            &mut conn,
            &NewAuditEvent {
                tenant_id: None,
                ..event(None, "maintenance_added")
            },
            t0 + Duration::seconds(3),
        )
        .unwrap();
        record(
            &mut conn,
            &NewAuditEvent {
                tenant_id: Some("OTHER"),
                ..event(None, "members_imported")
            },
            t0,
        )
        .unwrap();

        let all: Vec<String> = list(&mut conn, "T", None, None)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            all,
            [
                "members_imported",
                "credentials_issued",
                "account_locked",
                "maintenance_added"
            ],
            "{}",
            db.backend
        );
        let one = list(&mut conn, "T", Some("1-2"), None).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].detail["count"], 1);
        let recent = list(&mut conn, "T", None, Some(t0 + Duration::seconds(2))).unwrap();
        assert_eq!(recent.len(), 2, "{}", db.backend);
    }
}
