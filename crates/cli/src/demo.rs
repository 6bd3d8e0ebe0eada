//! `serve --demo`: a demo tenant with a small roster when the database is empty, and fresh
//! postcards for its members not yet registered, printed one `<temp ID> <temp password>` per
//! line on stdout (the only place besides a postcard file where a temporary password appears).

use chrono::Utc;
use madoguchi_domain::calendar;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::onboarding::AccountState;
use madoguchi_domain::roster::{RosterEntry, RosterInput};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::{Conn, StoreError, accounts, members, tenants};

use crate::commands::Ctx;
use crate::output::{Outcome, tr};
use crate::postcards::{self, Grant};

/// A valid insurer number (check digit 2) that no real society uses for this demo.
pub const DEMO_INSURER_NUMBER: &str = "06139992";
pub const DEMO_TENANT_NAME: &str = "窓口デモ健康保険組合";

/// member_code, family, given, family kana, given kana, birth date, postal code, address.
const DEMO_ROSTER: [[&str; 8]; 5] = [
    [
        "D-0001",
        "髙橋",
        "一郎",
        "タカハシ",
        "イチロウ",
        "19790822",
        "100-0001",
        "東京都千代田区千代田1-1",
    ],
    [
        "D-0002",
        "山﨑",
        "花子",
        "ヤマザキ",
        "ハナコ",
        "19850315",
        "530-0001",
        "大阪府大阪市北区梅田1-1",
    ],
    [
        "D-0003",
        "佐藤",
        "健",
        "サトウ",
        "ケン",
        "19600101",
        "460-0001",
        "愛知県名古屋市中区三の丸1-1",
    ],
    [
        "D-0004",
        "鈴木",
        "美咲",
        "スズキ",
        "ミサキ",
        "19921130",
        "810-0001",
        "福岡県福岡市中央区天神1-1",
    ],
    [
        "D-0005",
        "田中",
        "翔",
        "タナカ",
        "ショウ",
        "20010704",
        "060-0001",
        "北海道札幌市中央区北一条西1-1",
    ],
];

pub fn seed_and_print(ctx: &Ctx, conn: &mut Conn) -> Outcome {
    let now = Utc::now();
    let tenant = match tenants::find_by_insurer_number(conn, DEMO_INSURER_NUMBER)
        .map_err(|e| ctx.store(&e))?
    {
        Some(t) => t,
        None if tenants::list(conn).map_err(|e| ctx.store(&e))?.is_empty() => seed(
            conn,
            &ctx.config.public_url,
            &crate::secrets::mail_domain(ctx),
            now,
        )
        .map_err(|e| ctx.store(&e))?,
        // A database with real tenants gets no demo tenant.
        None => {
            eprintln!(
                "{}",
                tr(
                    ctx.lang,
                    "デモ: データベースに既にテナントがあるため、デモデータは作りません。",
                    "demo: the database already has tenants; no demo data is added."
                )
            );
            return Ok(());
        }
    };
    let mut grants = Vec::new();
    for member in members::list(conn, &tenant.id).map_err(|e| ctx.store(&e))? {
        let account = accounts::find_by_member(conn, &member.id).map_err(|e| ctx.store(&e))?;
        if account
            .as_ref()
            .is_none_or(|a| a.state == AccountState::Provisioned)
        {
            grants.push(Grant::postcard(member, account));
        }
    }
    postcards::make_ids_unique(conn, &mut grants).map_err(|e| ctx.store(&e))?;
    let prepared = postcards::prepare(grants, &tenant, now, false);
    postcards::commit(conn, &prepared, "system:demo", "credentials_issued", now)
        .map_err(|e| ctx.store(&e))?;
    eprintln!(
        "{}",
        tr(
            ctx.lang,
            format!(
                "デモ: {} (保険者番号 {})。未登録の会員のハガキ（仮ユーザID 仮パスワード）を標準出力に表示します。本人確認の生年月日:",
                tenant.name, tenant.insurer_number
            ),
            format!(
                "demo: {} (insurer number {}). Postcards (temporary ID, temporary password) of members not yet registered follow on stdout. Birth dates for the identity check:",
                tenant.name, tenant.insurer_number
            ),
        )
    );
    for g in &prepared.grants {
        eprintln!("  {}  {}", g.login_name(), g.member.birth_date);
    }
    for g in &prepared.grants {
        println!("{} {}", g.login_name(), g.password.expose());
    }
    if prepared.grants.is_empty() {
        eprintln!(
            "{}",
            tr(
                ctx.lang,
                "デモ: 全員が登録済みです。",
                "demo: every demo member has registered."
            )
        );
    }
    Ok(())
}

fn seed(
    conn: &mut Conn,
    public_url: &str,
    mail_domain: &str,
    now: chrono::DateTime<Utc>,
) -> Result<tenants::Tenant, StoreError> {
    let number =
        InsurerNumber::parse(DEMO_INSURER_NUMBER).map_err(|e| StoreError::Config(e.to_string()))?;
    let today = now.with_timezone(&calendar::Tokyo).date_naive();
    let entries: Vec<RosterEntry> = DEMO_ROSTER
        .iter()
        .map(|r| {
            RosterEntry::parse(
                RosterInput {
                    member_code: r[0],
                    family_name: r[1],
                    given_name: r[2],
                    family_name_kana: r[3],
                    given_name_kana: r[4],
                    birth_date: r[5],
                    postal_code: r[6],
                    address: r[7],
                },
                today,
            )
            .map_err(|e| StoreError::Config(format!("demo roster: {e:?}")))
        })
        .collect::<Result<_, _>>()?;
    let tenant = tenants::insert(conn, &number, DEMO_TENANT_NAME, now)?;
    members::import(conn, &tenant.id, &entries, false, now)?;
    crate::commands::notices::seed_demo(conn, &tenant.id, now)?;
    let medical = crate::commands::medical::seed_demo(conn, &tenant, public_url, mail_domain, now)?;
    audit::record(
        conn,
        &NewAuditEvent {
            tenant_id: Some(&tenant.id),
            member_code: None,
            actor: "system:demo",
            action: "demo_seeded",
            detail: serde_json::json!({
                "members": entries.len(),
                "medical_expense_rows": medical.rows,
            }),
        },
        now,
    )?;
    Ok(tenant)
}
