//! Terms of use (注意事項・免責事項・セキュリティポリシー等): versions published per tenant, or
//! the deployment's default (tenant NULL). The newest version is in force.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::{terms_acceptances, terms_versions};
use crate::time::{from_db, new_id, to_db};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// Opaque to clients: `<date>.<n>` of publication, unique per tenant.
    pub version: String,
    pub title: String,
    pub body: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = terms_versions)]
struct Row {
    version: String,
    title: String,
    body: String,
    published_at: chrono::NaiveDateTime,
}

impl From<Row> for Terms {
    fn from(r: Row) -> Self {
        Self {
            version: r.version,
            title: r.title,
            body: r.body,
            published_at: from_db(r.published_at),
        }
    }
}

/// Publishes a new version for a tenant (or the default when `tenant_id` is `None`). Versions
/// are `YYYYMMDD.N`, N counting every version of the deployment.
pub fn publish(
    conn: &mut Conn,
    tenant_id: Option<&str>,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Terms, StoreError> {
    // Numbered across the whole deployment, so a tenant's first version never repeats the
    // default's (a member shown the default must not pass with it once the tenant has its own).
    let earlier: i64 = terms_versions::table.count().get_result(conn)?;
    let version = format!("{}.{}", now.format("%Y%m%d"), earlier + 1);
    diesel::insert_into(terms_versions::table)
        .values((
            terms_versions::id.eq(new_id()),
            terms_versions::tenant_id.eq(tenant_id),
            terms_versions::version.eq(&version),
            terms_versions::title.eq(title),
            terms_versions::body.eq(body),
            terms_versions::published_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(Terms {
        version,
        title: title.to_owned(),
        body: body.to_owned(),
        published_at: now,
    })
}

/// The terms in force for a tenant: its newest version, else the deployment's default.
pub fn current(conn: &mut Conn, tenant_id: Option<&str>) -> Result<Option<Terms>, StoreError> {
    if let Some(t) = tenant_id {
        let own = terms_versions::table
            .filter(terms_versions::tenant_id.eq(t))
            .order((
                terms_versions::published_at.desc(),
                terms_versions::id.desc(),
            ))
            .select(Row::as_select())
            .first::<Row>(conn)
            .optional()?;
        if let Some(row) = own {
            return Ok(Some(row.into()));
        }
    }
    Ok(terms_versions::table
        .filter(terms_versions::tenant_id.is_null())
        .order((
            terms_versions::published_at.desc(),
            terms_versions::id.desc(),
        ))
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(Terms::from))
}

/// Records that an account agreed to a version (同意する) at `now`.
pub fn record_acceptance(
    conn: &mut Conn,
    account_id: &str,
    version: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(terms_acceptances::table)
        .values((
            terms_acceptances::id.eq(new_id()),
            terms_acceptances::account_id.eq(account_id),
            terms_acceptances::terms_version.eq(version),
            terms_acceptances::accepted_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};

    each_backend!(a_tenant_sees_its_newest_terms_else_the_default);
    fn a_tenant_sees_its_newest_terms_else_the_default(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let number = madoguchi_domain::insurer_number::InsurerNumber::parse("06130090").unwrap();
        let tenant = crate::tenants::insert(&mut conn, &number, "A", now).unwrap();
        assert_eq!(current(&mut conn, Some(&tenant.id)).unwrap(), None);
        let default = publish(&mut conn, None, "利用規約", "既定の本文", now).unwrap();
        assert_eq!(
            current(&mut conn, Some(&tenant.id))
                .unwrap()
                .map(|t| t.version),
            Some(default.version.clone())
        );
        let first = publish(&mut conn, Some(&tenant.id), "規約", "第1版", now).unwrap();
        assert_ne!(first.version, default.version, "{}", db.backend);
        let second = publish(
            &mut conn,
            Some(&tenant.id),
            "規約",
            "第2版",
            now + chrono::Duration::seconds(1),
        )
        .unwrap();
        assert_ne!(first.version, second.version);
        let now_in_force = current(&mut conn, Some(&tenant.id)).unwrap().unwrap();
        assert_eq!(
            (now_in_force.version, now_in_force.body.as_str()),
            (second.version, "第2版"),
            "{}",
            db.backend
        );
        assert_eq!(
            current(&mut conn, None).unwrap().map(|t| t.body),
            Some("既定の本文".to_owned())
        );
    }
}
