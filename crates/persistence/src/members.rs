//! The roster (名簿) of insured persons (被保険者) a kenpo imports. Names and addresses are kept
//! exactly as decoded (DESIGN §1).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::roster::RosterEntry;

use crate::accounts;
use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::members;
use crate::time::{new_id, to_db};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = members)]
pub struct Member {
    pub id: String,
    pub tenant_id: String,
    pub member_code: String,
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    /// YYYYMMDD.
    pub birth_date: String,
    pub postal_code: String,
    pub address: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Members absent from the file that `--suspend-missing` suspended (資格喪失).
    pub suspended: usize,
}

/// Inserts or updates every entry (matched by member code) in one transaction; with
/// `suspend_missing`, suspends the tenant's members absent from `entries`. The caller has
/// validated every row first: an import is all-or-nothing.
pub fn import(
    conn: &mut Conn,
    tenant_id: &str,
    entries: &[RosterEntry],
    suspend_missing: bool,
    now: DateTime<Utc>,
) -> Result<ImportSummary, StoreError> {
    crate::db::write_tx(conn, |conn| {
        let mut summary = ImportSummary::default();
        let existing: Vec<Member> = list(conn, tenant_id)?;
        let by_code: std::collections::HashMap<&str, &Member> =
            existing.iter().map(|m| (m.member_code.as_str(), m)).collect();
        for entry in entries {
            let fields = Fields::of(entry);
            match by_code.get(entry.member_code.as_str()) {
                Some(current) if fields.same_as(current) => summary.unchanged += 1,
                Some(current) => {
                    diesel::update(members::table.find(&current.id))
                        .set((fields.clone(), members::updated_at.eq(to_db(now))))
                        .execute(conn)?;
                    summary.updated += 1;
                }
                None => {
                    diesel::insert_into(members::table)
                        .values((
                            members::id.eq(new_id()),
                            members::tenant_id.eq(tenant_id),
                            members::member_code.eq(entry.member_code.as_str()),
                            fields.clone(),
                            members::created_at.eq(to_db(now)),
                            members::updated_at.eq(to_db(now)),
                        ))
                        .execute(conn)?;
                    summary.inserted += 1;
                }
            }
        }
        if suspend_missing {
            let present: HashSet<&str> = entries.iter().map(|e| e.member_code.as_str()).collect();
            for member in existing.iter().filter(|m| !present.contains(m.member_code.as_str())) {
                if accounts::suspend_member(conn, member, now)? {
                    summary.suspended += 1;
                }
            }
        }
        Ok(summary)
    })
}

#[derive(Clone, AsChangeset, Insertable)]
#[diesel(table_name = members)]
struct Fields {
    family_name: String,
    given_name: String,
    family_name_kana: String,
    given_name_kana: String,
    birth_date: String,
    postal_code: String,
    address: String,
}

impl Fields {
    fn of(e: &RosterEntry) -> Self {
        Self {
            family_name: e.family_name.clone(),
            given_name: e.given_name.clone(),
            family_name_kana: e.family_name_kana.clone(),
            given_name_kana: e.given_name_kana.clone(),
            birth_date: e.birth_date.to_compact(),
            postal_code: e.postal_code.clone(),
            address: e.address.clone(),
        }
    }

    fn same_as(&self, m: &Member) -> bool {
        self.family_name == m.family_name
            && self.given_name == m.given_name
            && self.family_name_kana == m.family_name_kana
            && self.given_name_kana == m.given_name_kana
            && self.birth_date == m.birth_date
            && self.postal_code == m.postal_code
            && self.address == m.address
    }
}

pub fn list(conn: &mut Conn, tenant_id: &str) -> Result<Vec<Member>, StoreError> {
    Ok(members::table
        .filter(members::tenant_id.eq(tenant_id))
        .order(members::member_code)
        .select(Member::as_select())
        .load(conn)?)
}

pub fn find_by_code(
    conn: &mut Conn,
    tenant_id: &str,
    member_code: &str,
) -> Result<Option<Member>, StoreError> {
    Ok(members::table
        .filter(members::tenant_id.eq(tenant_id))
        .filter(members::member_code.eq(member_code))
        .select(Member::as_select())
        .first(conn)
        .optional()?)
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Member, StoreError> {
    Ok(members::table.find(id).select(Member::as_select()).first(conn)?)
}

