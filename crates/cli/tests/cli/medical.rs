//! `madoguchi medical-expenses import|imports` (DESIGN §10): a CP932 file from a claims system
//! stored as it was written, re-imports that replace their months, the e-mail to households,
//! and files refused whole with every bad line named.

use chrono::Utc;
use madoguchi_domain::medical::{Category, Relationship};
use madoguchi_domain::onboarding::AccountState;
use madoguchi_persistence::{accounts, medical, outbox};

use crate::helpers::{INSURER, Setup, each_backend, fixture};

/// Month, patient, provider, category, relationship, total, paid, reimbursed.
type Seen<'a> = (
    String,
    &'a str,
    String,
    Category,
    Relationship,
    i64,
    i64,
    i64,
);

fn active(s: &Setup, code: &str, email: &str, notify: bool) {
    let mut conn = s.conn();
    let member = s.member(code);
    let now = Utc::now();
    let account = accounts::create(&mut conn, &member, AccountState::Active, now).unwrap();
    accounts::set_email(&mut conn, &account.id, email, true, now).unwrap();
    accounts::set_notify(&mut conn, &account.id, notify, now).unwrap();
}

fn import(s: &Setup, file: &str, extra: &[&str]) -> crate::helpers::Run {
    let mut args = vec!["medical-expenses", "import", "--tenant", INSURER, file];
    args.extend_from_slice(extra);
    s.run(&args)
}

each_backend!(a_cp932_file_is_stored_as_written_and_households_are_mailed_once);
fn a_cp932_file_is_stored_as_written_and_households_are_mailed_once(s: Setup) {
    let b = s.backend();
    s.tenant_with_roster();
    active(&s, "A-0001", "a1@example.jp", true);
    active(&s, "A-0002", "a2@example.jp", false);
    let file = fixture("medical-cp932.csv");
    import(&s, &file, &["--encoding", "cp932"])
        .success()
        .stdout_has("5行を取り込みました")
        .stdout_has("診療年月 2026年10月・2026年11月")
        .stdout_has("世帯 2")
        .stdout_has("メール 1 通を送信待ち");

    let mut conn = s.conn();
    let a1 = s.member("A-0001");
    let lines = medical::household_year(&mut conn, &a1.id, 2026).unwrap();
    let seen: Vec<Seen<'_>> = lines
        .iter()
        .map(|l| {
            (
                l.service_month.iso(),
                l.patient_name.as_str(),
                l.provider_name.clone(),
                l.category,
                l.relationship,
                l.total_cost,
                l.paid_amount,
                l.reimbursed_amount,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "2026-10".into(),
                "髙橋 一郎",
                "﨑山内科クリニック".into(),
                Category::Outpatient,
                Relationship::Insured,
                12_340,
                3_700,
                0
            ),
            (
                "2026-10".into(),
                "髙橋 﨑子",
                "\u{FA10}本薬局".into(),
                Category::Pharmacy,
                Relationship::Dependent,
                4_500,
                1_350,
                0
            ),
            (
                "2026-11".into(),
                "髙橋 一郎",
                "千代田総合病院".into(),
                Category::Inpatient,
                Relationship::Insured,
                1_200_000,
                360_000,
                280_000
            ),
            (
                "2026-11".into(),
                "髙橋 﨑子",
                "訪問看護ステーション髙".into(),
                Category::HomeNursing,
                Relationship::Dependent,
                40_000,
                4_000,
                0
            ),
        ],
        "[{b}] names exactly as decoded (U+FA10 kept), full-width month and code read"
    );
    assert_eq!(lines[3].public_paid, 36_000, "[{b}]");
    let a2 = s.member("A-0002");
    assert_eq!(
        medical::household_year(&mut conn, &a2.id, 2026)
            .unwrap()
            .len(),
        1,
        "[{b}] the other household's row is its own"
    );
    let mails = outbox::to_recipient(&mut conn, "a1@example.jp").unwrap();
    assert_eq!(
        mails.len(),
        1,
        "[{b}] one e-mail for the household's four rows"
    );
    assert!(
        mails[0].subject.contains("医療費のお知らせを掲載しました"),
        "[{b}]"
    );
    assert!(
        !mails[0].body_text.contains("千代田総合病院"),
        "[{b}] no medical data in mail"
    );
    assert!(
        outbox::to_recipient(&mut conn, "a2@example.jp")
            .unwrap()
            .is_empty(),
        "[{b}] opted out"
    );

    // The same file again: its months are replaced, not doubled.
    import(&s, &file, &["--encoding", "cp932"])
        .success()
        .stdout_has("置き換えた行 5");
    assert_eq!(
        medical::household_year(&mut conn, &a1.id, 2026).unwrap(),
        lines,
        "[{b}] a re-import is idempotent"
    );
    let listed = s
        .run(&["medical-expenses", "imports", "--tenant", INSURER])
        .success();
    assert_eq!(listed.lines().len(), 2, "[{b}]");
    assert!(
        listed.lines()[0].contains("medical-cp932.csv\t2026年10月・2026年11月\t5行\t2世帯"),
        "[{b}] {:?}",
        listed.lines()
    );

    // A corrected October alone replaces October only.
    let october = s.write(
        "october.csv",
        "member_code,patient_name,relationship,service_month,provider_name,category,days,total_cost,paid_amount\nA-0001,髙橋 一郎,本人,202610,﨑山内科クリニック,外来,1,5000,1500\n",
    );
    import(&s, &october, &[])
        .success()
        .stdout_has("置き換えた行 2");
    let after = medical::household_year(&mut conn, &a1.id, 2026).unwrap();
    assert_eq!(
        after
            .iter()
            .map(|l| (l.service_month.month(), l.paid_amount))
            .collect::<Vec<_>>(),
        [(10, 1_500), (11, 360_000), (11, 4_000)],
        "[{b}]"
    );
    assert!(
        medical::household_year(&mut conn, &a2.id, 2026)
            .unwrap()
            .len()
            == 1,
        "[{b}] November of the other household stays"
    );
}

each_backend!(a_file_with_bad_rows_is_refused_whole_with_every_line_named);
fn a_file_with_bad_rows_is_refused_whole_with_every_line_named(s: Setup) {
    let b = s.backend();
    s.tenant_with_roster();
    let run = import(&s, &fixture("medical-bad.csv"), &[])
        .failure(1)
        .stderr_has("3行に誤りがあるため、何も取り込みませんでした。")
        .stderr_has("3行目: member_code: 名簿にない member_code です")
        .stderr_has("4行目: service_month:")
        .stderr_has("4行目: category: 区分は")
        .stderr_has("4行目: paid_amount: 窓口負担額が医療費総額を超えています")
        .stderr_has("5行目: 列の数が見出し行と違います");
    assert!(
        !run.stderr.contains("2行目"),
        "[{b}] the good line is not reported"
    );
    let a1 = s.member("A-0001");
    assert!(
        medical::household_years(&mut s.conn(), &a1.id)
            .unwrap()
            .is_empty(),
        "[{b}] nothing stored, the good row neither"
    );

    s.run_en(&[
        "medical-expenses",
        "import",
        "--tenant",
        INSURER,
        &fixture("medical-bad.csv"),
    ])
    .failure(1)
    .stderr_has("3 bad rows: nothing was imported.")
    .stderr_has("line 4: category: the category is one of");

    let no_header = s.write("no-header.csv", "member_code,patient_name\nA-0001,x\n");
    import(&s, &no_header, &[])
        .failure(1)
        .stderr_has("必要な列がありません: relationship, service_month");
    let sjis = fixture("medical-cp932.csv");
    import(&s, &sjis, &[])
        .failure(1)
        .stderr_has("--encoding cp932 を付けてください");
    let empty = s.write(
        "empty.csv",
        "member_code,patient_name,relationship,service_month,provider_name,category,days,total_cost,paid_amount\n",
    );
    import(&s, &empty, &[])
        .failure(1)
        .stderr_has("データ行がありません");
}

each_backend!(the_tenant_sets_how_long_medical_expenses_are_kept);
fn the_tenant_sets_how_long_medical_expenses_are_kept(s: Setup) {
    let b = s.backend();
    s.add_tenant();
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--medical-months",
        "36",
    ])
    .success()
    .stdout_has("医療費の保存 36 か月");
    assert_eq!(s.tenant().medical_months, 36, "[{b}]");
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--medical-months",
        "0",
    ])
    .failure(2);
}
