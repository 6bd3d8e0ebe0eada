//! `madoguchi credentials issue`: who gets a postcard, and what is refused.

use madoguchi_domain::hashing::verify_secret;
use madoguchi_persistence::temporary_credentials;

use crate::helpers::{INSURER, Postcards, Setup, each_backend};

each_backend!(a_second_run_skips_unexpired_postcards_and_a_named_member_is_reissued);
fn a_second_run_skips_unexpired_postcards_and_a_named_member_is_reissued(s: Setup) {
    s.tenant_with_roster();
    s.issue("first.csv", &[]).success();
    let first = Postcards::read(&s.path("first.csv"));
    let b = s.backend();

    s.issue("second.csv", &[])
        .success()
        .stdout_has("0件発行し")
        .stdout_has("有効なハガキあり 3件");
    let second = Postcards::read(&s.path("second.csv"));
    assert!(second.rows.is_empty(), "[{b}] header only");
    assert_eq!(second.header.len(), 15, "[{b}]");

    s.issue("named.csv", &["--member", "A-0002"])
        .success()
        .stdout_has("1件発行し");
    let named = Postcards::read(&s.path("named.csv"));
    assert_eq!(named.column("member_code"), ["A-0002"], "[{b}]");
    let old_id = &first.row("A-0002")["temp_login_id"];
    let new_id = &named.rows[0]["temp_login_id"];
    assert_ne!(old_id, new_id, "[{b}] a new temporary ID");
    let mut conn = s.conn();
    let old = temporary_credentials::find_by_login_id(&mut conn, old_id)
        .expect("read")
        .expect("old credential");
    assert!(old.retired_at.is_some(), "[{b}] old temporary ID retired");
    let account = s.existing_account("A-0002");
    let pending = temporary_credentials::pending(&mut conn, &account.id, chrono::Utc::now())
        .expect("read")
        .expect("pending");
    assert_eq!(
        pending.login_id.as_deref(),
        Some(new_id.as_str()),
        "[{b}] the new one is pending"
    );
    assert!(
        verify_secret(&named.rows[0]["temp_password"], &pending.password_hash),
        "[{b}]"
    );
}

each_backend!(an_existing_out_file_is_refused_and_left_untouched);
fn an_existing_out_file_is_refused_and_left_untouched(s: Setup) {
    s.tenant_with_roster();
    let path = s.write("postcards.csv", "前回の印刷分\n");
    s.issue("postcards.csv", &[])
        .failure(1)
        .stderr_has("postcards.csv")
        .stderr_has("既にあります");
    assert_eq!(
        std::fs::read_to_string(&path).expect("file"),
        "前回の印刷分\n",
        "[{}] untouched",
        s.backend()
    );
    assert!(
        s.account("A-0001").is_none(),
        "[{}] nothing issued",
        s.backend()
    );
}

each_backend!(an_unknown_member_is_refused_by_name_and_no_file_is_written);
fn an_unknown_member_is_refused_by_name_and_no_file_is_written(s: Setup) {
    s.tenant_with_roster();
    s.issue(
        "postcards.csv",
        &["--member", "A-0001", "--member", "Z-9999"],
    )
    .failure(1)
    .stderr_has("Z-9999");
    assert!(
        !std::path::Path::new(&s.path("postcards.csv")).exists(),
        "[{}] no file",
        s.backend()
    );
    assert!(
        s.account("A-0001").is_none(),
        "[{}] nothing issued",
        s.backend()
    );
}

each_backend!(suspended_members_are_never_issued_even_when_named);
fn suspended_members_are_never_issued_even_when_named(s: Setup) {
    s.tenant_with_roster();
    s.run(&[
        "account", "suspend", "--tenant", INSURER, "--member", "A-0001",
    ])
    .success();
    s.issue("named.csv", &["--member", "A-0001"])
        .success()
        .stdout_has("0件発行し")
        .stdout_has("資格喪失 1件");
    assert!(
        Postcards::read(&s.path("named.csv")).rows.is_empty(),
        "[{}] header only",
        s.backend()
    );
    s.issue("all.csv", &[]).success().stdout_has("2件発行し");
    let all = Postcards::read(&s.path("all.csv"));
    assert_eq!(
        all.column("member_code"),
        ["A-0002", "A-0003"],
        "{}",
        s.backend()
    );
    let account = s.existing_account("A-0001");
    let pending = temporary_credentials::pending(&mut s.conn(), &account.id, chrono::Utc::now())
        .expect("read");
    assert!(
        pending.is_none(),
        "[{}] no credential for a suspended member",
        s.backend()
    );
}
