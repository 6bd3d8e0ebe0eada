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

/// A roster row. Its `Debug` shows the IDs only: names, the 記号・番号, the birth date and the
/// address never reach a log line through `{:?}`.
#[derive(Clone, PartialEq, Eq)]
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

impl Member {
    /// 氏 and 名 as the roster has them, joined by a space (名 may be empty).
    pub fn full_name(&self) -> String {
        if self.given_name.is_empty() {
            self.family_name.clone()
        } else {
            format!("{} {}", self.family_name, self.given_name)
        }
    }
}

/// The `members` row as diesel reads it (never leaves this crate).
#[derive(Queryable, Selectable)]
#[diesel(table_name = members)]
pub(crate) struct MemberRow {
    id: String,
    tenant_id: String,
    member_code: String,
    family_name: String,
    given_name: String,
    family_name_kana: String,
    given_name_kana: String,
    birth_date: String,
    postal_code: String,
    address: String,
}

impl From<MemberRow> for Member {
    fn from(r: MemberRow) -> Self {
        Self {
            id: r.id,
            tenant_id: r.tenant_id,
            member_code: r.member_code,
            family_name: r.family_name,
            given_name: r.given_name,
            family_name_kana: r.family_name_kana,
            given_name_kana: r.given_name_kana,
            birth_date: r.birth_date,
            postal_code: r.postal_code,
            address: r.address,
        }
    }
}

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .finish_non_exhaustive()
    }
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
        let by_code: std::collections::HashMap<&str, &Member> = existing
            .iter()
            .map(|m| (m.member_code.as_str(), m))
            .collect();
        let mut new_rows = Vec::new();
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
                None => new_rows.push(NewRow {
                    id: new_id(),
                    tenant_id: tenant_id.to_owned(),
                    member_code: entry.member_code.as_str().to_owned(),
                    fields,
                    created_at: to_db(now),
                    updated_at: to_db(now),
                }),
            }
        }
        summary.inserted = insert_all(conn, &new_rows)?;
        if suspend_missing {
            let present: HashSet<&str> = entries.iter().map(|e| e.member_code.as_str()).collect();
            for member in existing
                .iter()
                .filter(|m| !present.contains(m.member_code.as_str()))
            {
                if accounts::suspend_member(conn, member, now)? {
                    summary.suspended += 1;
                }
            }
        }
        Ok(summary)
    })
}

/// A roster row new to the tenant.
#[derive(Insertable)]
#[diesel(table_name = members)]
struct NewRow {
    id: String,
    tenant_id: String,
    member_code: String,
    #[diesel(embed)]
    fields: Fields,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

/// Rows per multi-row INSERT: 12 columns each stay under both backends' bound-parameter
/// limits (SQLite 32,766; PostgreSQL 65,535).
const INSERT_CHUNK: usize = 2_000;

/// Inserts new roster rows many to a statement: one round trip per 2,000 rows instead of one
/// per row (a 100,000-member roster on PostgreSQL). Returns how many.
fn insert_all(conn: &mut Conn, rows: &[NewRow]) -> Result<usize, StoreError> {
    let mut inserted = 0;
    for chunk in rows.chunks(INSERT_CHUNK) {
        inserted += match conn {
            Conn::Postgresql(pg) => diesel::insert_into(members::table)
                .values(chunk)
                .execute(pg)?,
            Conn::Sqlite(lite) => insert_each_sqlite(lite, chunk)?,
        };
    }
    Ok(inserted)
}

/// SQLite: one prepared statement, run per row. With no round trips to save, this costs less
/// than a statement of 2,000 rows' placeholders, and less than diesel's own single-row insert,
/// which writes its SQL out and looks it up again for every row (an insert's SQL depends on
/// which values are defaults, so diesel cannot cache it by type; [`InsertOne`] can).
fn insert_each_sqlite(
    conn: &mut diesel::SqliteConnection,
    rows: &[NewRow],
) -> Result<usize, StoreError> {
    let mut inserted = 0;
    // diesel's own SQLite encoding of a timestamp (`%F %T%.f`), written out once for an
    // import's rows (they share it) rather than twice per row.
    let mut stamp: Option<(chrono::NaiveDateTime, String)> = None;
    for row in rows {
        if stamp.as_ref().is_none_or(|(at, _)| *at != row.created_at) {
            stamp = Some((
                row.created_at,
                row.created_at.format("%F %T%.f").to_string(),
            ));
        }
        let stamp = stamp.as_ref().map_or("", |(_, text)| text.as_str());
        inserted += InsertOne { row, stamp }.execute(conn)?;
    }
    Ok(inserted)
}

/// `INSERT` of one new roster row on SQLite, a statement of one type: diesel prepares it once
/// per connection and finds it in its cache by that type.
struct InsertOne<'a> {
    row: &'a NewRow,
    /// `created_at` and `updated_at`, encoded.
    stamp: &'a str,
}

impl diesel::query_builder::QueryId for InsertOne<'_> {
    type QueryId = InsertOne<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> for InsertOne<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
    ) -> QueryResult<()> {
        use diesel::sql_types::Text;
        out.push_sql(
            "INSERT INTO members (id, tenant_id, member_code, family_name, given_name, \
             family_name_kana, given_name_kana, birth_date, postal_code, address, created_at, \
             updated_at) VALUES (",
        );
        let (row, f) = (self.row, &self.row.fields);
        for value in [
            &row.id,
            &row.tenant_id,
            &row.member_code,
            &f.family_name,
            &f.given_name,
            &f.family_name_kana,
            &f.given_name_kana,
            &f.birth_date,
            &f.postal_code,
            &f.address,
        ] {
            out.push_bind_param::<Text, _>(value)?;
            out.push_sql(", ");
        }
        out.push_bind_param::<Text, _>(self.stamp)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(self.stamp)?;
        out.push_sql(")");
        Ok(())
    }
}

impl RunQueryDsl<diesel::SqliteConnection> for InsertOne<'_> {}

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
        .select(MemberRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Member::from)
        .collect())
}

pub fn find_by_code(
    conn: &mut Conn,
    tenant_id: &str,
    member_code: &str,
) -> Result<Option<Member>, StoreError> {
    Ok(members::table
        .filter(members::tenant_id.eq(tenant_id))
        .filter(members::member_code.eq(member_code))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()?
        .map(Member::from))
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Member, StoreError> {
    Ok(members::table
        .find(id)
        .select(MemberRow::as_select())
        .first::<MemberRow>(conn)?
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};
    use madoguchi_domain::insurer_number::InsurerNumber;
    use madoguchi_domain::onboarding::AccountState;
    use madoguchi_domain::roster::RosterInput;

    fn entry(code: &str, family: &str, address: &str) -> RosterEntry {
        RosterEntry::parse(
            RosterInput {
                member_code: code,
                family_name: family,
                given_name: "一郎",
                family_name_kana: "タカハシ",
                given_name_kana: "イチロウ",
                birth_date: "19790822",
                postal_code: "1000001",
                address,
            },
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        )
        .unwrap()
    }

    each_backend!(debug_output_carries_no_personal_data);
    fn debug_output_carries_no_personal_data(db: TestDatabase) {
        let mut conn = db.conn();
        let now = chrono::Utc::now();
        let tenant = crate::tenants::insert(
            &mut conn,
            &InsurerNumber::parse("06130090").unwrap(),
            "日本電気健康保険組合",
            now,
        )
        .unwrap();
        import(
            &mut conn,
            &tenant.id,
            &[entry("A-0001", "髙橋", "港区芝")],
            false,
            now,
        )
        .unwrap();
        let member = find_by_code(&mut conn, &tenant.id, "A-0001")
            .unwrap()
            .unwrap();
        let account = accounts::create(&mut conn, &member, AccountState::Provisioned, now).unwrap();
        let view = accounts::view(&mut conn, &account.id).unwrap().unwrap();
        let shown = format!("{view:?} {member:?}");
        for secret in [
            "髙橋",
            "一郎",
            "タカハシ",
            "19790822",
            "100-0001",
            "港区芝",
            "A-0001",
        ] {
            assert!(
                !shown.contains(secret),
                "{}: {secret} in {shown}",
                db.backend
            );
        }
        assert!(shown.contains(&member.id), "{shown}");
    }

    each_backend!(import_inserts_updates_and_keeps_names_exactly);
    fn import_inserts_updates_and_keeps_names_exactly(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let tenant = crate::tenants::insert(
            &mut conn,
            &InsurerNumber::parse("06130090").unwrap(),
            "A",
            now,
        )
        .unwrap();
        // U+FA10 (塚 as CP932 decodes ED80) must not become U+585A; 髙 and 﨑 stay as they are.
        let first = [
            entry("1-1-00", "\u{FA10}本", "東京都"),
            entry("1-2-00", "髙橋", "大阪府 山﨑ビル"),
        ];
        let summary = import(&mut conn, &tenant.id, &first, false, now).unwrap();
        assert_eq!(
            (summary.inserted, summary.updated, summary.unchanged),
            (2, 0, 0),
            "{}",
            db.backend
        );
        let stored = find_by_code(&mut conn, &tenant.id, "1-1-00")
            .unwrap()
            .unwrap();
        assert_eq!(
            stored.family_name.chars().next(),
            Some('\u{FA10}'),
            "{}",
            db.backend
        );
        assert_eq!(stored.postal_code, "100-0001");
        assert_eq!(stored.birth_date, "19790822");

        let second = [
            entry("1-1-00", "\u{FA10}本", "東京都"),
            entry("1-2-00", "髙橋", "福岡県"),
        ];
        let summary = import(&mut conn, &tenant.id, &second, false, now).unwrap();
        assert_eq!(
            (summary.inserted, summary.updated, summary.unchanged),
            (0, 1, 1),
            "{}",
            db.backend
        );
        assert_eq!(
            find_by_code(&mut conn, &tenant.id, "1-2-00")
                .unwrap()
                .unwrap()
                .address,
            "福岡県"
        );
    }

    each_backend!(suspend_missing_suspends_only_the_absent_members);
    fn suspend_missing_suspends_only_the_absent_members(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let tenant = crate::tenants::insert(
            &mut conn,
            &InsurerNumber::parse("06130090").unwrap(),
            "A",
            now,
        )
        .unwrap();
        import(
            &mut conn,
            &tenant.id,
            &[
                entry("A", "甲", ""),
                entry("B", "乙", ""),
                entry("C", "丙", ""),
            ],
            false,
            now,
        )
        .unwrap();
        let b = find_by_code(&mut conn, &tenant.id, "B").unwrap().unwrap();
        let b_account = accounts::create(&mut conn, &b, AccountState::Active, now).unwrap();
        let summary = import(&mut conn, &tenant.id, &[entry("A", "甲", "")], true, now).unwrap();
        assert_eq!(summary.suspended, 2, "{}", db.backend);
        let b_after = accounts::get(&mut conn, &b_account.id).unwrap();
        assert_eq!(b_after.state, AccountState::Suspended);
        assert_eq!(
            b_after.session_version,
            b_account.session_version + 1,
            "suspension revokes tokens"
        );
        let c = find_by_code(&mut conn, &tenant.id, "C").unwrap().unwrap();
        assert_eq!(
            accounts::find_by_member(&mut conn, &c.id)
                .unwrap()
                .map(|a| a.state),
            Some(AccountState::Suspended)
        );
        let a = find_by_code(&mut conn, &tenant.id, "A").unwrap().unwrap();
        assert_eq!(accounts::find_by_member(&mut conn, &a.id).unwrap(), None);
        // Importing again suspends nobody twice.
        assert_eq!(
            import(&mut conn, &tenant.id, &[entry("A", "甲", "")], true, now)
                .unwrap()
                .suspended,
            0
        );
    }
}
