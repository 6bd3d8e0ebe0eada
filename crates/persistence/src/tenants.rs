//! Tenants: one kenpo (健康保険組合) each, found by its insurer number (保険者番号).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::contact::Contact;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::two_step::TwoStepPolicy;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::tenants;
use crate::time::{new_id, to_db};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: String,
    pub insurer_number: String,
    pub name: String,
    /// How long five consecutive failures lock an account.
    pub lockout_minutes: u32,
    /// How long a postcard's temporary credentials stay valid.
    pub postcard_days: u32,
    /// Whether the tenant closes member pages 0:00–6:00 JST.
    pub nightly_closure: bool,
    /// The kenpo's help desk (all parts optional).
    pub contact: Contact,
    /// 二段階認証: `off`, `optional` (the default) or `required` (DESIGN §9).
    pub two_step: TwoStepPolicy,
    /// How many months of 医療費のお知らせ the tenant keeps (24 unless set).
    pub medical_months: u32,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = tenants)]
pub(crate) struct Row {
    id: String,
    insurer_number: String,
    name: String,
    lockout_minutes: i64,
    postcard_days: i64,
    nightly_closure: bool,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_hours: Option<String>,
    contact_url: Option<String>,
    two_step: String,
    medical_months: i64,
}

impl From<Row> for Tenant {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            insurer_number: r.insurer_number,
            name: r.name,
            lockout_minutes: u32::try_from(r.lockout_minutes).unwrap_or(30),
            postcard_days: u32::try_from(r.postcard_days).unwrap_or(90),
            nightly_closure: r.nightly_closure,
            contact: Contact {
                name: r.contact_name,
                phone: r.contact_phone,
                hours: r.contact_hours,
                url: r.contact_url,
            },
            // The column's values are written from the enum alone; anything else is read as
            // the default rather than failing every sign-in of the kenpo.
            two_step: TwoStepPolicy::parse(&r.two_step).unwrap_or_default(),
            medical_months: u32::try_from(r.medical_months).unwrap_or(24),
        }
    }
}

/// Adds a tenant with the default settings; `Conflict` when the insurer number exists.
pub fn insert(
    conn: &mut Conn,
    insurer_number: &InsurerNumber,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Tenant, StoreError> {
    let id = new_id();
    diesel::insert_into(tenants::table)
        .values((
            tenants::id.eq(&id),
            tenants::insurer_number.eq(insurer_number.as_str()),
            tenants::name.eq(name),
            tenants::lockout_minutes.eq(30_i64),
            tenants::postcard_days.eq(90_i64),
            tenants::nightly_closure.eq(false),
            tenants::created_at.eq(to_db(now)),
            tenants::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    get(conn, &id)
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Tenant, StoreError> {
    Ok(tenants::table
        .find(id)
        .select(Row::as_select())
        .first::<Row>(conn)?
        .into())
}

pub fn find_by_insurer_number(
    conn: &mut Conn,
    insurer_number: &str,
) -> Result<Option<Tenant>, StoreError> {
    Ok(tenants::table
        .filter(tenants::insurer_number.eq(insurer_number))
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(Tenant::from))
}

pub fn list(conn: &mut Conn) -> Result<Vec<Tenant>, StoreError> {
    Ok(tenants::table
        .order(tenants::insurer_number)
        .select(Row::as_select())
        .load::<Row>(conn)?
        .into_iter()
        .map(Tenant::from)
        .collect())
}

/// The settings `tenant set` may change; `None` keeps the current value. A contact part is
/// `Some(None)` to clear it.
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    pub lockout_minutes: Option<u32>,
    pub postcard_days: Option<u32>,
    pub nightly_closure: Option<bool>,
    pub contact_name: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
    pub contact_hours: Option<Option<String>>,
    pub contact_url: Option<Option<String>>,
    pub two_step: Option<TwoStepPolicy>,
    pub medical_months: Option<u32>,
}

pub fn update_settings(
    conn: &mut Conn,
    id: &str,
    change: SettingsChange,
    now: DateTime<Utc>,
) -> Result<Tenant, StoreError> {
    let current = get(conn, id)?;
    diesel::update(tenants::table.find(id))
        .set((
            tenants::lockout_minutes.eq(i64::from(
                change.lockout_minutes.unwrap_or(current.lockout_minutes),
            )),
            tenants::postcard_days.eq(i64::from(
                change.postcard_days.unwrap_or(current.postcard_days),
            )),
            tenants::nightly_closure.eq(change.nightly_closure.unwrap_or(current.nightly_closure)),
            tenants::contact_name.eq(change.contact_name.unwrap_or(current.contact.name)),
            tenants::contact_phone.eq(change.contact_phone.unwrap_or(current.contact.phone)),
            tenants::contact_hours.eq(change.contact_hours.unwrap_or(current.contact.hours)),
            tenants::contact_url.eq(change.contact_url.unwrap_or(current.contact.url)),
            tenants::two_step.eq(change.two_step.unwrap_or(current.two_step).as_str()),
            tenants::medical_months.eq(i64::from(
                change.medical_months.unwrap_or(current.medical_months),
            )),
            tenants::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    get(conn, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};

    each_backend!(a_tenant_is_added_found_and_changed);
    fn a_tenant_is_added_found_and_changed(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let number = InsurerNumber::parse("06130090").unwrap();
        let added = insert(&mut conn, &number, "日本電気健康保険組合", now).unwrap();
        assert_eq!(
            (
                added.lockout_minutes,
                added.postcard_days,
                added.nightly_closure
            ),
            (30, 90, false)
        );
        assert_eq!(
            find_by_insurer_number(&mut conn, "06130090").unwrap(),
            Some(added.clone())
        );
        assert_eq!(find_by_insurer_number(&mut conn, "06139992").unwrap(), None);
        let err = insert(&mut conn, &number, "again", now).unwrap_err();
        assert!(err.is_conflict(), "{}: {err}", db.backend);
        assert!(added.contact.is_empty());
        let change = SettingsChange {
            lockout_minutes: Some(45),
            nightly_closure: Some(true),
            contact_name: Some(Some("業務課".into())),
            contact_phone: Some(Some("03-1234-5678".into())),
            ..Default::default()
        };
        let changed = update_settings(&mut conn, &added.id, change, now).unwrap();
        assert_eq!(
            (
                changed.lockout_minutes,
                changed.postcard_days,
                changed.nightly_closure
            ),
            (45, 90, true)
        );
        assert_eq!(
            (
                changed.contact.name.as_deref(),
                changed.contact.phone.as_deref(),
                changed.contact.url
            ),
            (Some("業務課"), Some("03-1234-5678"), None)
        );
        let cleared = SettingsChange {
            contact_phone: Some(None),
            ..Default::default()
        };
        let changed = update_settings(&mut conn, &added.id, cleared, now).unwrap();
        assert_eq!(
            (changed.contact.name.as_deref(), changed.contact.phone),
            (Some("業務課"), None),
            "{}: one part cleared, the rest kept",
            db.backend
        );
        assert_eq!(list(&mut conn).unwrap().len(), 1);
    }
}
