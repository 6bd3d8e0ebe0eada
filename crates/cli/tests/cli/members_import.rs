//! `madoguchi members import`: encodings, column order, all-or-nothing, updates, suspension.

use madoguchi_domain::onboarding::AccountState;
use madoguchi_persistence::temporary_credentials;

use crate::helpers::{INSURER, ROSTER_HEADER, Setup, each_backend, fixture};

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn import_args<'a>(file: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["members", "import", "--tenant", INSURER, file];
    args.extend_from_slice(extra);
    args
}

each_backend!(cp932_roster_keeps_extension_kanji_exactly);
fn cp932_roster_keeps_extension_kanji_exactly(s: Setup) {
    s.add_tenant();
    s.import(&fixture("roster-cp932.csv"), &["--encoding", "cp932"])
        .stdout_has("4行を取り込みました（新規 4、更新 0、変更なし 0、資格喪失 0）");
    let b = s.backend();
    // 髙 from the NEC-selected IBM extension (EEE0) and from the IBM extension (FBFC).
    assert_eq!(
        chars(&s.member("1234-5678-00").family_name),
        ['\u{9AD9}', '橋'],
        "[{b}] 髙 from EEE0"
    );
    assert_eq!(
        chars(&s.member("1234-5681-00").family_name),
        ['\u{9AD9}', '田'],
        "[{b}] 髙 from FBFC"
    );
    // 﨑 from ED95 in a name and from FAB1 in an address.
    assert_eq!(
        chars(&s.member("1234-5679-00").family_name),
        ['山', '\u{FA11}'],
        "[{b}] 﨑 from ED95"
    );
    assert!(
        chars(&s.member("1234-5681-00").address).ends_with(&['宮', '\u{FA11}', '団', '地']),
        "[{b}] 﨑 from FAB1"
    );
    // 塚 (ED80) stays U+FA10: never NFC-normalised to U+585A.
    let tsukamoto = s.member("1234-5680-01");
    assert_eq!(
        chars(&tsukamoto.family_name),
        ['\u{FA10}', '本'],
        "[{b}] U+FA10 kept"
    );
    // The full-width birth date is accepted and stored in half-width digits.
    assert_eq!(tsukamoto.birth_date, "19600101", "[{b}]");
    assert_eq!(
        s.member("1234-5679-00").postal_code,
        "530-0001",
        "[{b}] postal code without a dash"
    );
    assert_eq!(
        s.member("1234-5678-00").given_name_kana,
        "イチロウ",
        "[{b}]"
    );
}

each_backend!(cp932_roster_without_encoding_fails_with_a_hint_and_writes_nothing);
fn cp932_roster_without_encoding_fails_with_a_hint_and_writes_nothing(s: Setup) {
    s.add_tenant();
    s.run(&import_args(&fixture("roster-cp932.csv"), &[]))
        .failure(1)
        .stderr_has("2行目")
        .stderr_has("--encoding cp932");
    assert!(s.members().is_empty(), "[{}] nothing written", s.backend());
    s.run_en(&import_args(&fixture("roster-cp932.csv"), &[]))
        .failure(1)
        .stderr_has("add --encoding cp932");
}

each_backend!(utf8_bom_roster_with_reordered_columns_and_a_quoted_comma_is_imported);
fn utf8_bom_roster_with_reordered_columns_and_a_quoted_comma_is_imported(s: Setup) {
    s.add_tenant();
    s.import(&fixture("roster-utf8-bom.csv"), &[])
        .stdout_has("新規 3");
    let b = s.backend();
    let first = s.member("A-0001");
    assert_eq!(
        [
            &*first.family_name,
            &*first.given_name,
            &*first.family_name_kana,
            &*first.given_name_kana
        ],
        ["髙橋", "一郎", "タカハシ", "イチロウ"],
        "[{b}]"
    );
    assert_eq!(
        (&*first.birth_date, &*first.postal_code),
        ("19790822", "100-0001"),
        "[{b}]"
    );
    assert_eq!(
        s.member("A-0002").address,
        "大阪府大阪市北区梅田1-1, 梅田ビル",
        "[{b}] quoted comma"
    );
    let third = s.member("A-0003");
    assert_eq!(
        (&*third.birth_date, &*third.postal_code, &*third.address),
        ("20000229", "", ""),
        "[{b}]"
    );
    assert_eq!(s.members().len(), 3, "[{b}]");
}

each_backend!(bad_rows_are_all_reported_and_nothing_is_written);
fn bad_rows_are_all_reported_and_nothing_is_written(s: Setup) {
    s.add_tenant();
    let run = s
        .run(&import_args(&fixture("roster-bad.csv"), &[]))
        .failure(1)
        .stderr_has("5行に誤りがあるため");
    let expected = [
        ("3行目: birth_date", "存在しない日付"),
        ("4行目: family_name", "氏名（姓）"),
        ("5行目: member_code B-0001", "2行目と重複"),
        ("6行目: birth_date", "8桁"),
        ("6行目: postal_code", "7桁"),
        ("7行目:", "列の数"),
    ];
    for (start, reason) in expected {
        let line = run.stderr.lines().find(|l| l.starts_with(start));
        assert!(
            line.is_some_and(|l| l.contains(reason)),
            "[{}] {start} … {reason}\n{run}",
            s.backend()
        );
    }
    assert!(
        !run.stderr.contains("2行目:"),
        "[{}] line 2 is good\n{run}",
        s.backend()
    );
    assert!(s.members().is_empty(), "[{}] nothing written", s.backend());

    // After a good import the bad file changes nothing either.
    s.import(&fixture("roster-utf8-bom.csv"), &[]);
    let before = s.members();
    s.run(&import_args(
        &fixture("roster-bad.csv"),
        &["--suspend-missing"],
    ))
    .failure(1);
    assert_eq!(s.members(), before, "[{}] members unchanged", s.backend());
    assert!(
        s.account("A-0001").is_none(),
        "[{}] nobody suspended",
        s.backend()
    );

    s.run_en(&import_args(&fixture("roster-bad.csv"), &[]))
        .failure(1)
        .stderr_has("5 bad rows: nothing was imported.")
        .stderr_has("line 5: member_code B-0001 repeats line 2.");
}

each_backend!(reimport_with_a_changed_address_updates_the_member);
fn reimport_with_a_changed_address_updates_the_member(s: Setup) {
    s.add_tenant();
    let row = |address: &str| {
        format!(
            "{ROSTER_HEADER}\nC-0001,鈴木,一郎,スズキ,イチロウ,19700101,1000001,{address}\nC-0002,鈴木,花子,スズキ,ハナコ,19720202,,\n"
        )
    };
    s.import(&s.write("v1.csv", &row("東京都千代田区1-1")), &[])
        .stdout_has("新規 2");
    s.import(&s.write("v2.csv", &row("東京都港区2-2")), &[])
        .stdout_has("2行を取り込みました（新規 0、更新 1、変更なし 1、資格喪失 0）");
    assert_eq!(
        s.member("C-0001").address,
        "東京都港区2-2",
        "{}",
        s.backend()
    );
    assert_eq!(s.members().len(), 2, "{}", s.backend());
}

each_backend!(suspend_missing_suspends_members_absent_from_the_file);
fn suspend_missing_suspends_members_absent_from_the_file(s: Setup) {
    s.tenant_with_roster();
    s.issue("postcards.csv", &[]).success();
    let pending = s.existing_account("A-0003");
    let only_two =
        format!("{ROSTER_HEADER}\nA-0001,髙橋,一郎,,,19790822,,\nA-0002,山﨑,花子,,,19850315,,\n");
    s.import(&s.write("two.csv", &only_two), &["--suspend-missing"])
        .stdout_has("資格喪失 1");
    let b = s.backend();
    let gone = s.existing_account("A-0003");
    assert_eq!(
        gone.state,
        AccountState::Suspended,
        "[{b}] A-0003 suspended"
    );
    assert!(
        gone.session_version > pending.session_version,
        "[{b}] sessions revoked"
    );
    let now = chrono::Utc::now();
    assert!(
        temporary_credentials::pending(&mut s.conn(), &gone.id, now)
            .expect("read")
            .is_none(),
        "[{b}] postcard retired"
    );
    for code in ["A-0001", "A-0002"] {
        assert_eq!(
            s.existing_account(code).state,
            AccountState::Provisioned,
            "[{b}] {code} stays"
        );
    }
    // A member without an account yet is suspended too, so no postcard is ever issued.
    s.import(
        &s.write(
            "one.csv",
            &format!(
                "{ROSTER_HEADER}\nA-0001,髙橋,一郎,,,19790822,,\nA-0009,新人,太郎,,,20000101,,\n"
            ),
        ),
        &[],
    );
    s.import(
        &s.write(
            "only.csv",
            &format!("{ROSTER_HEADER}\nA-0001,髙橋,一郎,,,19790822,,\n"),
        ),
        &["--suspend-missing"],
    )
    .stdout_has("資格喪失 2");
    assert_eq!(
        s.existing_account("A-0009").state,
        AccountState::Suspended,
        "[{b}] never-issued member suspended"
    );
}

each_backend!(a_header_missing_birth_date_is_refused_naming_the_column);
fn a_header_missing_birth_date_is_refused_naming_the_column(s: Setup) {
    s.add_tenant();
    let file = s.write(
        "nobirth.csv",
        "member_code,family_name,given_name\nD-0001,佐藤,一郎\n",
    );
    s.run(&import_args(&file, &[]))
        .failure(1)
        .stderr_has("1行目")
        .stderr_has("birth_date");
    assert!(s.members().is_empty(), "[{}] nothing written", s.backend());
}

each_backend!(import_into_an_unknown_tenant_is_refused);
fn import_into_an_unknown_tenant_is_refused(s: Setup) {
    s.run(&import_args(&fixture("roster-utf8-bom.csv"), &[]))
        .failure(1)
        .stderr_has(INSURER)
        .stderr_has("tenant add");
}
