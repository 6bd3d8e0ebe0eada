//! 医療費のお知らせ (DESIGN §10): a household reads its own year and nothing else, totals are the
//! sums of its rows, and the downloads for the tax return carry the rows as imported.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::medical::{Category, Line, Relationship, ServiceMonth};
use madoguchi_domain::roster::{RosterEntry, RosterInput};
use madoguchi_persistence::medical::{self, NewExpense};
use madoguchi_persistence::{members, tenants, write_tx};
use serde_json::json;

use crate::helpers::{TestApp, each_backend};

const STRONG: &str = "Sakura2026x";

fn line(
    month: u32,
    patient: &str,
    relationship: Relationship,
    provider: &str,
    category: Category,
    [total, paid, back]: [i64; 3],
) -> Line {
    Line {
        service_month: ServiceMonth::from_number(i64::from(month)).unwrap(),
        patient_name: patient.into(),
        relationship,
        provider_name: provider.into(),
        category,
        days: 2,
        total_cost: total,
        paid_amount: paid,
        public_paid: 0,
        reimbursed_amount: back,
    }
}

/// Stores rows as `madoguchi medical-expenses import` does.
fn store(app: &TestApp, tenant_id: &str, member_id: &str, lines: &[Line]) {
    write_tx(&mut app.conn(), |c| {
        let rows: Vec<NewExpense<'_>> = lines
            .iter()
            .map(|line| NewExpense { member_id, line })
            .collect();
        medical::insert(c, tenant_id, "import-test", &rows).map(|_| ())
    })
    .unwrap();
}

fn household() -> Vec<Line> {
    use Category::*;
    use Relationship::*;
    vec![
        line(
            202_510,
            "髙橋 一郎",
            Insured,
            "千代田内科",
            Outpatient,
            [10_000, 3_000, 0],
        ),
        line(
            202_603,
            "髙橋 一郎",
            Insured,
            "千代田内科",
            Outpatient,
            [12_340, 3_700, 0],
        ),
        // Part of this one was paid from public funds (公費負担).
        Line {
            public_paid: 1_000,
            ..line(
                202_603,
                "髙橋 﨑子",
                Dependent,
                "=HYPERLINK(\"x\")薬局",
                Pharmacy,
                [4_500, 1_350, 0],
            )
        },
        line(
            202_611,
            "髙橋 一郎",
            Insured,
            "千代田総合病院",
            Inpatient,
            [1_200_000, 360_000, 280_000],
        ),
    ]
}

each_backend!(a_household_reads_its_own_year_with_totals);
async fn a_household_reads_its_own_year_with_totals(app: TestApp) {
    let b = app.backend;
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let mine = app.member("1-1-00");
    store(&app, &app.tenant.id, &mine.id, &household());
    let neighbour = app.member("1-2-00");
    store(
        &app,
        &app.tenant.id,
        &neighbour.id,
        &[line(
            202_603,
            "佐藤 花子",
            Relationship::Insured,
            "隣の医院",
            Category::Dental,
            [9_999, 2_999, 0],
        )],
    );
    // Another kenpo's member with the same code.
    let now = app.clock_now();
    let other = tenants::insert(
        &mut app.conn(),
        &InsurerNumber::parse("01130012").unwrap(),
        "別の健康保険組合",
        now,
    )
    .unwrap();
    let entry = RosterEntry::parse(
        RosterInput {
            member_code: "1-1-00",
            family_name: "髙橋",
            given_name: "一郎",
            family_name_kana: "",
            given_name_kana: "",
            birth_date: "19790822",
            postal_code: "",
            address: "",
        },
        now.date_naive(),
    )
    .unwrap();
    members::import(&mut app.conn(), &other.id, &[entry], false, now).unwrap();
    let twin = members::find_by_code(&mut app.conn(), &other.id, "1-1-00")
        .unwrap()
        .unwrap();
    store(
        &app,
        &other.id,
        &twin.id,
        &[line(
            202_603,
            "別組合の人",
            Relationship::Insured,
            "遠くの病院",
            Category::Outpatient,
            [50_000, 15_000, 0],
        )],
    );

    let year = app
        .get("/api/v1/me/medical-expenses")
        .bearer(&token)
        .send()
        .await;
    year.ok(200);
    assert_eq!(
        year.header("cache-control").as_deref(),
        Some("no-store"),
        "{}",
        year.context()
    );
    let body = &year.body;
    assert_eq!(body["year"], 2026, "{}", year.context());
    assert_eq!(body["available_years"], json!([2026, 2025]), "[{b}]");
    assert_eq!(
        body["insurer"]["insurer_number"],
        app.tenant.insurer_number.as_str(),
        "[{b}]"
    );
    assert_eq!(body["insurer"]["name"], app.tenant.name.as_str(), "[{b}]");
    assert_eq!(body["insured_name"], "髙橋 一郎", "[{b}]");
    let rows = body["rows"].as_array().unwrap();
    let seen: Vec<(&str, &str, &str, &str, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["service_month"].as_str().unwrap(),
                r["patient_name"].as_str().unwrap(),
                r["provider_name"].as_str().unwrap(),
                r["category"].as_str().unwrap(),
                r["paid_amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("2026-03", "髙橋 一郎", "千代田内科", "outpatient", 3_700),
            (
                "2026-03",
                "髙橋 﨑子",
                "=HYPERLINK(\"x\")薬局",
                "pharmacy",
                1_350
            ),
            (
                "2026-11",
                "髙橋 一郎",
                "千代田総合病院",
                "inpatient",
                360_000
            ),
        ],
        "[{b}] only this household's rows of 2026, names as imported"
    );
    assert_eq!(rows[1]["relationship"], "dependent", "[{b}]");
    assert_eq!(rows[2]["reimbursed_amount"], 280_000, "[{b}]");
    assert_eq!(
        body["totals"],
        json!({"total_cost": 1_216_840, "paid_amount": 365_050, "public_paid": 1_000, "reimbursed_amount": 280_000}),
        "[{b}] the sums of the rows"
    );
    assert_eq!(
        body["by_patient"],
        json!([
            {"patient_name": "髙橋 一郎", "relationship": "insured", "total_cost": 1_212_340, "paid_amount": 363_700, "public_paid": 0, "reimbursed_amount": 280_000},
            {"patient_name": "髙橋 﨑子", "relationship": "dependent", "total_cost": 4_500, "paid_amount": 1_350, "public_paid": 1_000, "reimbursed_amount": 0},
        ]),
        "[{b}]"
    );
    assert!(
        !year.text.contains("佐藤") && !year.text.contains("別組合"),
        "[{b}] no other household's rows"
    );

    let last = app
        .get("/api/v1/me/medical-expenses?year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%95")
        .bearer(&token)
        .send()
        .await;
    last.ok(200);
    assert_eq!(last.body["year"], 2025, "{}", last.context());
    assert_eq!(last.body["rows"].as_array().unwrap().len(), 1, "[{b}]");
    let none = app
        .get("/api/v1/me/medical-expenses?year=2019")
        .bearer(&token)
        .send()
        .await;
    none.ok(200);
    assert_eq!(
        none.body["rows"],
        json!([]),
        "[{b}] a year without rows is empty"
    );
    assert_eq!(none.body["totals"]["paid_amount"], 0, "[{b}]");
    let bad = app
        .get("/api/v1/me/medical-expenses?year=26")
        .bearer(&token)
        .send()
        .await;
    bad.problem(422, "validation_failed");
    assert_eq!(bad.body["errors"][0]["field"], "year", "{}", bad.context());

    // The neighbour, registered, sees only their own row.
    let theirs = app.registered("1-2-00", "Sato0001", STRONG).await;
    let seen = app
        .get("/api/v1/me/medical-expenses")
        .bearer(&theirs)
        .send()
        .await;
    seen.ok(200);
    assert_eq!(
        seen.body["rows"].as_array().unwrap().len(),
        1,
        "{}",
        seen.context()
    );
    assert_eq!(seen.body["rows"][0]["patient_name"], "佐藤 花子", "[{b}]");

    // No token, no rows.
    app.get("/api/v1/me/medical-expenses")
        .send()
        .await
        .problem(401, "unauthenticated");
}

each_backend!(the_exports_carry_the_rows_for_the_tax_return);
async fn the_exports_carry_the_rows_for_the_tax_return(app: TestApp) {
    let b = app.backend;
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let mine = app.member("1-1-00");
    store(&app, &app.tenant.id, &mine.id, &household());

    let csv = app
        .get("/api/v1/me/medical-expenses/export?year=2026&format=csv")
        .bearer(&token)
        .send()
        .await;
    csv.ok(200);
    assert_eq!(
        csv.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8"),
        "{}",
        csv.context()
    );
    assert_eq!(
        csv.header("content-disposition").as_deref(),
        Some("attachment; filename=\"iryohi-2026.csv\""),
        "[{b}]"
    );
    assert!(
        csv.bytes.starts_with(b"\xef\xbb\xbf"),
        "[{b}] a BOM for Excel"
    );
    let text = csv.text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for item in [
        "被保険者等の氏名",
        "療養を受けた年月",
        "療養を受けた者",
        "病院・診療所・薬局等の名称",
        "被保険者等が支払った医療費の額",
        "保険者等の名称",
    ] {
        assert!(
            header.iter().any(|h| h == item),
            "[{b}] the NTA's item {item} in {header:?}"
        );
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 4, "[{b}] three rows and the total");
    assert_eq!(&records[1][col("療養を受けた者")], "髙橋 﨑子", "[{b}]");
    assert_eq!(
        &records[1][col("病院・診療所・薬局等の名称")],
        "'=HYPERLINK(\"x\")薬局",
        "[{b}] spreadsheet-safe"
    );
    assert_eq!(&records[1][col("療養を受けた年月")], "2026年3月", "[{b}]");
    assert_eq!(
        &records[2][col("被保険者等が支払った医療費の額")],
        "360000",
        "[{b}]"
    );
    assert_eq!(
        &records[2][col("左のうち補填される金額")],
        "280000",
        "[{b}]"
    );
    assert_eq!(
        &records[0][col("保険者等の名称")],
        app.tenant.name.as_str(),
        "[{b}]"
    );
    assert_eq!(
        &records[3][col("被保険者等が支払った医療費の額")],
        "365050",
        "[{b}] the total"
    );
    assert_eq!(&records[1][col("公費負担額")], "1000", "[{b}] public funds");
    assert_eq!(
        &records[3][col("公費負担額")],
        "1000",
        "[{b}] public funds' total"
    );

    let xlsx = app
        .get("/api/v1/me/medical-expenses/export?year=2026&format=xlsx")
        .bearer(&token)
        .send()
        .await;
    xlsx.ok(200);
    assert_eq!(
        xlsx.header("content-disposition").as_deref(),
        Some("attachment; filename=\"iryohi-2026.xlsx\""),
        "{}",
        xlsx.context()
    );
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(xlsx.bytes.clone())).unwrap();
    let form = book.worksheet_range("医療費集計フォーム").unwrap();
    let cell = |r: u32, c: u32| form.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        cell(1, 1),
        Data::String("髙橋 一郎".into()),
        "[{b}] 被保険者等の氏名"
    );
    // One row per patient, provider and class: 一郎's two 千代田内科 visits are one row.
    let rows: Vec<(Data, Data, Data, Data, Data, Data)> = (8..11)
        .map(|r| {
            (
                cell(r, 1),
                cell(r, 2),
                cell(r, 3),
                cell(r, 4),
                cell(r, 7),
                cell(r, 8),
            )
        })
        .collect();
    let s = |t: &str| Data::String(t.into());
    let n = |v: f64| Data::Float(v);
    assert_eq!(
        rows,
        [
            (
                s("髙橋 一郎"),
                s("千代田内科"),
                s("該当する"),
                Data::Empty,
                n(3_700.0),
                n(0.0)
            ),
            (
                s("髙橋 﨑子"),
                s("=HYPERLINK(\"x\")薬局"),
                Data::Empty,
                s("該当する"),
                n(1_350.0),
                n(0.0)
            ),
            (
                s("髙橋 一郎"),
                s("千代田総合病院"),
                s("該当する"),
                Data::Empty,
                n(360_000.0),
                n(280_000.0)
            ),
        ],
        "[{b}]"
    );

    let nothing = app
        .get("/api/v1/me/medical-expenses/export?year=2019")
        .bearer(&token)
        .send()
        .await;
    nothing.problem(404, "no_medical_expenses");
    let wrong = app
        .get("/api/v1/me/medical-expenses/export?format=pdf")
        .bearer(&token)
        .send()
        .await;
    wrong.problem(422, "validation_failed");
    assert_eq!(
        wrong.body["errors"][0]["field"],
        "format",
        "{}",
        wrong.context()
    );
}

each_backend!(a_suspended_member_sees_nothing);
async fn a_suspended_member_sees_nothing(app: TestApp) {
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let mine = app.member("1-1-00");
    store(&app, &app.tenant.id, &mine.id, &household());
    app.get("/api/v1/me/medical-expenses")
        .bearer(&token)
        .send()
        .await
        .ok(200);
    madoguchi_persistence::accounts::suspend_member(&mut app.conn(), &mine, app.clock_now())
        .unwrap();
    let after = app
        .get("/api/v1/me/medical-expenses")
        .bearer(&token)
        .send()
        .await;
    after.problem(401, "session_revoked");
    assert!(!after.text.contains("髙橋 﨑子"), "{}", after.context());
    let export = app
        .get("/api/v1/me/medical-expenses/export?format=csv")
        .bearer(&token)
        .send()
        .await;
    export.problem(401, "session_revoked");
}

each_backend!(housekeeping_deletes_months_past_the_tenants_retention);
async fn housekeeping_deletes_months_past_the_tenants_retention(app: TestApp) {
    let b = app.backend;
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let mine = app.member("1-1-00");
    // The clock is 2026-11: 24 months keep 2024-12 onwards.
    store(
        &app,
        &app.tenant.id,
        &mine.id,
        &[
            line(
                202_411,
                "髙橋 一郎",
                Relationship::Insured,
                "古い医院",
                Category::Outpatient,
                [1_000, 300, 0],
            ),
            line(
                202_412,
                "髙橋 一郎",
                Relationship::Insured,
                "千代田内科",
                Category::Outpatient,
                [2_000, 600, 0],
            ),
        ],
    );
    app.housekeeping().await;
    let years = app
        .get("/api/v1/me/medical-expenses?year=2024")
        .bearer(&token)
        .send()
        .await;
    years.ok(200);
    let providers: Vec<&str> = years.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["provider_name"].as_str().unwrap())
        .collect();
    assert_eq!(providers, ["千代田内科"], "[{b}] 2024-11 is past 24 months");
}
