//! `madoguchi credentials issue`: the postcard file and the stored credentials.

use std::collections::HashSet;
use std::os::unix::fs::PermissionsExt;

use chrono::Days;
use madoguchi_domain::hashing::verify_secret;
use madoguchi_persistence::temporary_credentials;

use crate::helpers::{INSURER, Postcards, ROSTER_HEADER, Setup, each_backend, fixture, today_jst};

/// A–Z, a–z, 2–9 without the look-alikes O, o, l, I (DESIGN §2).
fn password_alphabet() -> Vec<char> {
    let alphabet: Vec<char> = ('A'..='Z')
        .chain('a'..='z')
        .chain('2'..='9')
        .filter(|c| !"OolI".contains(*c))
        .collect();
    assert_eq!(alphabet.len(), 56);
    alphabet
}

each_backend!(issued_postcard_file_is_private_with_a_bom_and_the_roster_columns);
fn issued_postcard_file_is_private_with_a_bom_and_the_roster_columns(s: Setup) {
    s.tenant_with_roster();
    s.issue("postcards.csv", &[])
        .success()
        .stdout_has("3件発行し");
    let path = s.path("postcards.csv");
    let mode = std::fs::metadata(&path)
        .expect("postcard file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "[{}] mode {mode:o}", s.backend());
    let postcards = Postcards::read(&path);
    let expected: Vec<&str> = ROSTER_HEADER
        .split(',')
        .chain(["temp_login_id", "temp_password", "expires_on"])
        .chain([
            "contact_name",
            "contact_phone",
            "contact_hours",
            "contact_url",
        ])
        .collect();
    assert_eq!(postcards.header, expected, "{}", s.backend());
    assert_eq!(
        postcards.column("member_code"),
        ["A-0001", "A-0002", "A-0003"],
        "{}",
        s.backend()
    );
    let osaka = postcards.row("A-0002");
    assert_eq!(
        (&*osaka["family_name"], &*osaka["address"]),
        ("山﨑", "大阪府大阪市北区梅田1-1, 梅田ビル"),
        "{}",
        s.backend()
    );
}

each_backend!(temporary_ids_and_passwords_follow_the_rules);
fn temporary_ids_and_passwords_follow_the_rules(s: Setup) {
    let alphabet = password_alphabet();
    s.add_tenant();
    s.import(&fixture("roster-cp932.csv"), &["--encoding", "cp932"]);
    s.import(&fixture("roster-utf8-bom.csv"), &[]);
    s.issue("postcards.csv", &[])
        .success()
        .stdout_has("7件発行し");
    let postcards = Postcards::read(&s.path("postcards.csv"));
    let b = s.backend();
    let ids = postcards.column("temp_login_id");
    assert_eq!(ids.len(), 7, "[{b}]");
    for id in &ids {
        assert!(
            id.len() == 13 && id.bytes().all(|c| c.is_ascii_digit()),
            "[{b}] temp ID {id:?}"
        );
    }
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "[{b}] distinct: {ids:?}"
    );
    let mut numbers: Vec<u64> = ids.iter().map(|id| id.parse().expect("digits")).collect();
    let consecutive = |n: &[u64]| n.windows(2).all(|w| w[1] == w[0] + 1);
    assert!(
        !consecutive(&numbers),
        "[{b}] not sequential in file order: {ids:?}"
    );
    numbers.sort_unstable();
    assert!(
        !consecutive(&numbers),
        "[{b}] not sequential when sorted: {ids:?}"
    );
    for password in postcards.column("temp_password") {
        assert_eq!(password.chars().count(), 10, "[{b}] {password:?}");
        assert!(
            password.chars().all(|c| alphabet.contains(&c)),
            "[{b}] alphabet: {password:?}"
        );
        assert!(
            password.chars().any(|c| c.is_ascii_alphabetic()),
            "[{b}] a letter: {password:?}"
        );
        assert!(
            password.chars().any(|c| c.is_ascii_digit()),
            "[{b}] a digit: {password:?}"
        );
    }
}

each_backend!(stored_hashes_are_argon2id_and_verify_the_printed_passwords);
fn stored_hashes_are_argon2id_and_verify_the_printed_passwords(s: Setup) {
    s.tenant_with_roster();
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--postcard-days",
        "30",
    ])
    .success();
    let before = today_jst();
    s.issue("postcards.csv", &[]).success();
    let after = today_jst();
    let postcards = Postcards::read(&s.path("postcards.csv"));
    let b = s.backend();
    let valid_through: Vec<String> = [before, after]
        .iter()
        .map(|d| d.checked_add_days(Days::new(30)).expect("date").to_string())
        .collect();
    for row in &postcards.rows {
        assert!(
            valid_through.contains(&row["expires_on"]),
            "[{b}] expires_on {} is today + 30",
            row["expires_on"]
        );
        let stored = temporary_credentials::find_by_login_id(&mut s.conn(), &row["temp_login_id"])
            .expect("read credential")
            .unwrap_or_else(|| panic!("[{b}] {} stored", row["temp_login_id"]));
        assert!(
            stored.password_hash.starts_with("$argon2id$"),
            "[{b}] {}",
            stored.password_hash
        );
        assert!(
            stored.password_hash.contains("m=19456,t=2,p=1"),
            "[{b}] {}",
            stored.password_hash
        );
        assert!(
            !stored.password_hash.contains(&row["temp_password"]),
            "[{b}] never stored in clear"
        );
        assert!(
            verify_secret(&row["temp_password"], &stored.password_hash),
            "[{b}] hash verifies the printed password"
        );
        assert!(stored.retired_at.is_none(), "[{b}]");
        let account = s.existing_account(&row["member_code"]);
        assert_eq!(
            stored.account_id, account.id,
            "[{b}] credential belongs to {}",
            row["member_code"]
        );
    }
}

each_backend!(cp932_output_decodes_to_the_same_names);
fn cp932_output_decodes_to_the_same_names(s: Setup) {
    s.add_tenant();
    s.import(&fixture("roster-cp932.csv"), &["--encoding", "cp932"]);
    s.issue("postcards.csv", &["--encoding", "cp932"]).success();
    let bytes = std::fs::read(s.path("postcards.csv")).expect("postcard file");
    assert!(
        bytes.starts_with(b"member_code,"),
        "[{}] no BOM in CP932",
        s.backend()
    );
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
    assert!(!had_errors, "[{}] valid CP932", s.backend());
    let postcards = Postcards::parse(&text);
    assert_eq!(postcards.rows.len(), 4, "{}", s.backend());
    for member in s.members() {
        let row = postcards.row(&member.member_code);
        for (column, stored) in [
            ("family_name", &member.family_name),
            ("given_name", &member.given_name),
            ("family_name_kana", &member.family_name_kana),
            ("address", &member.address),
        ] {
            assert_eq!(
                row[column].chars().collect::<Vec<_>>(),
                stored.chars().collect::<Vec<_>>(),
                "[{}] {} {column}",
                s.backend(),
                member.member_code
            );
        }
    }
}

each_backend!(cells_that_start_like_formulas_are_imported_with_a_warning_and_written_quoted);
fn cells_that_start_like_formulas_are_imported_with_a_warning_and_written_quoted(s: Setup) {
    s.add_tenant();
    let roster = s.write(
        "roster-formulas.csv",
        &format!(
            "{ROSTER_HEADER}\n\
             F-0001,=HYPERLINK(\"http://evil.example\"),太郎,,,19790822,,@SUM(1+1)\n\
             F-0002,佐藤,花子,,,19850101,,東京都千代田区1-1\n\
             F-0003,+81,-1,,,19900515,,\n"
        ),
    );
    let b = s.backend();
    let run = s
        .import(&roster, &[])
        .stderr_has("2行目の family_name")
        .stderr_has("2行目の address")
        .stderr_has("4行目の family_name")
        .stderr_has("4行目の given_name");
    assert_eq!(
        run.stderr.lines().filter(|l| l.starts_with("警告")).count(),
        4,
        "[{b}] one warning per cell: {}",
        run.stderr
    );
    // Names are stored as decoded: a name is a name.
    assert_eq!(
        s.member("F-0001").family_name,
        "=HYPERLINK(\"http://evil.example\")",
        "[{b}]"
    );
    s.issue("postcards.csv", &[]).success();
    let postcards = Postcards::read(&s.path("postcards.csv"));
    let first = postcards.row("F-0001");
    assert_eq!(
        (&*first["family_name"], &*first["address"]),
        ("'=HYPERLINK(\"http://evil.example\")", "'@SUM(1+1)"),
        "[{b}]"
    );
    let third = postcards.row("F-0003");
    assert_eq!(
        (&*third["family_name"], &*third["given_name"]),
        ("'+81", "'-1"),
        "[{b}]"
    );
    assert_eq!(
        &postcards.row("F-0002")["address"],
        "東京都千代田区1-1",
        "[{b}]"
    );
}

each_backend!(postcards_carry_the_kenpo_contact_to_print);
fn postcards_carry_the_kenpo_contact_to_print(s: Setup) {
    s.tenant_with_roster();
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--contact-name",
        "業務課",
        "--contact-phone",
        "03-1234-5678",
    ])
    .success();
    s.issue("postcards.csv", &[]).success();
    let postcards = Postcards::read(&s.path("postcards.csv"));
    let row = postcards.row("A-0001");
    assert_eq!(
        (
            &*row["contact_name"],
            &*row["contact_phone"],
            &*row["contact_hours"],
            &*row["contact_url"]
        ),
        ("業務課", "03-1234-5678", "", ""),
        "{}",
        s.backend()
    );
}
