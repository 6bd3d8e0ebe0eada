//! Medical expenses on both backends: stored as imported, read per household and year,
//! replaced per month, and deleted after the tenant's retention.

use chrono::{NaiveDate, Utc};
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::medical::{Category, Line, Relationship, ServiceMonth};
use madoguchi_domain::onboarding::AccountState;
use madoguchi_domain::roster::{RosterEntry, RosterInput};

use super::*;
use crate::testing::{TestDatabase, each_backend};
use crate::{accounts, members, write_tx};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

/// A tenant with the roster codes; returns its ID.
fn tenant(conn: &mut Conn, insurer: &str, codes: &[&str]) -> String {
    let now = Utc::now();
    let t = tenants::insert(conn, &InsurerNumber::parse(insurer).unwrap(), insurer, now).unwrap();
    let entries: Vec<RosterEntry> = codes
        .iter()
        .map(|code| {
            RosterEntry::parse(
                RosterInput {
                    member_code: code,
                    family_name: "髙橋",
                    given_name: "",
                    family_name_kana: "",
                    given_name_kana: "",
                    birth_date: "19790822",
                    postal_code: "",
                    address: "",
                },
                today(),
            )
            .unwrap()
        })
        .collect();
    members::import(conn, &t.id, &entries, false, now).unwrap();
    t.id
}

fn line(month: u32, patient: &str, paid: i64) -> Line {
    Line {
        service_month: ServiceMonth::from_number(i64::from(month)).unwrap(),
        patient_name: patient.into(),
        relationship: Relationship::Dependent,
        provider_name: "﨑山クリニック".into(),
        category: Category::Pharmacy,
        days: 2,
        total_cost: paid * 3,
        paid_amount: paid,
        public_paid: 0,
        reimbursed_amount: paid / 10,
    }
}

fn store(conn: &mut Conn, tenant_id: &str, member_id: &str, lines: &[Line]) {
    write_tx(conn, |c| {
        let rows: Vec<NewExpense<'_>> = lines
            .iter()
            .map(|line| NewExpense { member_id, line })
            .collect();
        insert(c, tenant_id, "import-1", &rows).map(|_| ())
    })
    .unwrap();
}

each_backend!(rows_read_back_per_household_and_year_as_imported);
fn rows_read_back_per_household_and_year_as_imported(db: TestDatabase) {
    let mut conn = db.conn();
    let t = tenant(&mut conn, "06130090", &["1-1", "1-2"]);
    let ids = member_ids(&mut conn, &t).unwrap();
    let (a, b) = (&ids["1-1"], &ids["1-2"]);
    let mine = [
        line(202_611, "髙橋 﨑子", 900),
        line(202_510, "髙橋 太郎", 100),
        line(202_601, "髙橋 太郎", 300),
        line(202_601, "\u{FA10}本", 200),
    ];
    store(&mut conn, &t, a, &mine);
    store(&mut conn, &t, b, &[line(202_601, "他人", 5)]);

    let year = household_year(&mut conn, a, 2026).unwrap();
    assert_eq!(
        year,
        [mine[2].clone(), mine[3].clone(), mine[0].clone()],
        "{}",
        db.backend
    );
    assert_eq!(household_years(&mut conn, a).unwrap(), [2026, 2025]);
    assert_eq!(household_year(&mut conn, b, 2026).unwrap().len(), 1);
    assert!(household_year(&mut conn, a, 2024).unwrap().is_empty());

    // On PostgreSQL the route reads on the worker's asynchronous connections: the same rows.
    if let Some((reads, runtime)) = crate::reads::test_reads(&db) {
        let read = |member: &str, year: Option<i32>| {
            runtime
                .block_on(reads.household(member, year, 2027))
                .unwrap()
                .unwrap()
        };
        let blocking = |conn: &mut Conn, member: &str, year: i32| {
            let years = household_years(conn, member).unwrap();
            (year, household_year(conn, member, year).unwrap(), years)
        };
        // Without a year: the latest with rows; with one: that year, rows or none.
        assert_eq!(read(a, None), blocking(&mut conn, a, 2026));
        assert_eq!(read(a, Some(2025)), blocking(&mut conn, a, 2025));
        assert_eq!(read(a, Some(2024)), blocking(&mut conn, a, 2024));
        assert_eq!(read(b, None), blocking(&mut conn, b, 2026));
        // A household without rows: the default year, nothing in it.
        let none = &ids["1-2"].replace('-', "_");
        assert_eq!(read(none, None), (2027, Vec::new(), Vec::new()));
    }
}

each_backend!(a_month_is_replaced_whole_and_old_months_expire);
fn a_month_is_replaced_whole_and_old_months_expire(db: TestDatabase) {
    let mut conn = db.conn();
    let t = tenant(&mut conn, "06130090", &["1-1"]);
    let other = tenant(&mut conn, "06139992", &["1-1"]);
    let a = member_ids(&mut conn, &t).unwrap()["1-1"].clone();
    let o = member_ids(&mut conn, &other).unwrap()["1-1"].clone();
    store(
        &mut conn,
        &t,
        &a,
        &[
            line(202_410, "A", 1),
            line(202_501, "A", 2),
            line(202_601, "A", 3),
        ],
    );
    store(&mut conn, &other, &o, &[line(202_601, "O", 9)]);
    let month = ServiceMonth::from_number(202_601).unwrap();
    assert_eq!(replace_month(&mut conn, &t, month).unwrap(), 1);
    assert!(household_year(&mut conn, &a, 2026).unwrap().is_empty());
    assert_eq!(household_year(&mut conn, &o, 2026).unwrap().len(), 1);

    // 24 months back from 2026-12 is 2025-01: 2024-10 goes, 2025-01 stays.
    assert_eq!(purge_expired(&mut conn, today()).unwrap(), 1);
    assert_eq!(household_years(&mut conn, &a).unwrap(), [2025]);
    let change = tenants::SettingsChange {
        medical_months: Some(12),
        ..Default::default()
    };
    tenants::update_settings(&mut conn, &t, change, Utc::now()).unwrap();
    assert_eq!(purge_expired(&mut conn, today()).unwrap(), 1);
    assert!(household_years(&mut conn, &a).unwrap().is_empty());
    assert_eq!(household_years(&mut conn, &o).unwrap(), [2026]);
}

each_backend!(imports_are_recorded_and_recipients_asked_for_mail);
fn imports_are_recorded_and_recipients_asked_for_mail(db: TestDatabase) {
    let mut conn = db.conn();
    let t = tenant(&mut conn, "06130090", &["1-1", "1-2", "1-3"]);
    let ids = member_ids(&mut conn, &t).unwrap();
    let now = Utc::now();
    for (code, state, notify) in [
        ("1-1", AccountState::Active, true),
        ("1-2", AccountState::Active, false),
        ("1-3", AccountState::Suspended, true),
    ] {
        let member = members::find_by_code(&mut conn, &t, code).unwrap().unwrap();
        let account = accounts::create(&mut conn, &member, state, now).unwrap();
        accounts::set_email(
            &mut conn,
            &account.id,
            &format!("{code}@example.jp"),
            true,
            now,
        )
        .unwrap();
        accounts::set_notify(&mut conn, &account.id, notify, now).unwrap();
    }
    let all: Vec<&str> = ids.values().map(String::as_str).collect();
    let to: Vec<String> = recipients(&mut conn, &all)
        .unwrap()
        .into_iter()
        .map(|r| r.email)
        .collect();
    assert_eq!(to, ["1-1@example.jp"], "{}", db.backend);

    let import = Import {
        id: "i-1".into(),
        tenant_id: t.clone(),
        file_name: "2026-11.csv".into(),
        months: vec![
            ServiceMonth::from_number(202_610).unwrap(),
            ServiceMonth::from_number(202_611).unwrap(),
        ],
        rows: 12,
        households: 3,
        created_by: "operator:tester@host".into(),
        created_at: crate::time::from_db(to_db(now)),
    };
    record_import(&mut conn, &import).unwrap();
    assert_eq!(imports(&mut conn, &t).unwrap(), [import]);
}
