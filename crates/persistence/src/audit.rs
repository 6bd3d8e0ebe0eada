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

pub fn record(conn: &mut Conn, event: &NewAuditEvent<'_>, now: DateTime<Utc>) -> Result<(), StoreError> {
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
        Some(code) => query.filter(ae::tenant_id.eq(tenant_id)).filter(ae::member_code.eq(code)),
        None => query.filter(ae::tenant_id.eq(tenant_id).or(ae::tenant_id.is_null())),
    };
    if let Some(t) = since {
        query = query.filter(ae::occurred_at.ge(to_db(t)));
    }
    let rows = query.order((ae::occurred_at.asc(), ae::id.asc())).select(Row::as_select()).load::<Row>(conn)?;
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
