//! Exit status 0/1/2, database failures and the language of messages (DESIGN §4).

use madoguchi_persistence::tenants;

use crate::helpers::{EN, INSURER, JA, Run, Setup, TENANT_NAME, command, each_backend, fixture};

fn has_japanese(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{3000}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c))
}

each_backend!(usage_errors_exit_with_status_2);
fn usage_errors_exit_with_status_2(s: Setup) {
    s.run(&["frobnicate"]).failure(2).stderr_has("frobnicate");
    s.run(&["audit"]).failure(2).stderr_has("--tenant");
    s.run(&["members", "import", &fixture("roster-utf8-bom.csv")])
        .failure(2)
        .stderr_has("--tenant");
    s.run(&["tenant", "add", "--insurer-number", INSURER])
        .failure(2)
        .stderr_has("--name");
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--nightly-closure",
        "maybe",
    ])
    .failure(2);
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--lockout-minutes",
        "-5",
    ])
    .failure(2);
    s.run(&[
        "credentials",
        "issue",
        "--tenant",
        INSURER,
        "--out",
        "x.csv",
        "--encoding",
        "latin1",
    ])
    .failure(2);
    s.run(&["maintenance", "schedule"])
        .failure(2)
        .stderr_has("--year");
    assert!(
        tenants::list(&mut s.conn()).expect("tenants").is_empty(),
        "[{}] nothing done",
        s.backend()
    );
}

#[test]
fn an_unreachable_database_exits_1_naming_the_url_variable() {
    // No test database is involved: the URL names a closed port.
    let dir = tempfile::tempdir().expect("working directory");
    let url = "postgres://postgres@127.0.0.1:1/x";
    let run = Run::exec("none", command(dir.path(), url, JA), &["tenant", "list"]).failure(1);
    let run = run
        .stderr_has("MADOGUCHI_DATABASE_URL")
        .stderr_has("データベースに接続できません");
    assert!(
        run.stderr.contains("127.0.0.1"),
        "the message names the server\n{run}"
    );
    Run::exec("none", command(dir.path(), url, EN), &["tenant", "list"])
        .failure(1)
        .stderr_has("cannot connect to the database (check MADOGUCHI_DATABASE_URL)");
    Run::exec(
        "none",
        command(dir.path(), url, JA),
        &["members", "import", "--tenant", INSURER, "x.csv"],
    )
    .failure(1)
    .stderr_has("MADOGUCHI_DATABASE_URL");
}

#[test]
fn an_unsupported_database_url_is_refused_without_its_password() {
    let dir = tempfile::tempdir().expect("working directory");
    let run = Run::exec(
        "none",
        command(dir.path(), "mysql://root:secret@127.0.0.1/db", EN),
        &["tenant", "list"],
    )
    .failure(1);
    let run = run
        .stderr_has("MADOGUCHI_DATABASE_URL")
        .stderr_has("sqlite://");
    assert!(
        !run.stderr.contains("secret"),
        "the password is not shown\n{run}"
    );
}

each_backend!(english_locale_gives_english_messages);
fn english_locale_gives_english_messages(s: Setup) {
    let bad = s
        .run_en(&[
            "tenant",
            "add",
            "--insurer-number",
            "06130091",
            "--name",
            TENANT_NAME,
        ])
        .failure(1);
    let bad = bad.stderr_has("--insurer-number");
    assert!(
        !has_japanese(&bad.stderr),
        "[{}] English only\n{bad}",
        s.backend()
    );
    let missing = s
        .run_en(&["audit", "--tenant", INSURER])
        .failure(1)
        .stderr_has("no tenant has insurer number");
    assert!(
        !has_japanese(&missing.stderr),
        "[{}] English only\n{missing}",
        s.backend()
    );

    s.run_en(&[
        "tenant",
        "add",
        "--insurer-number",
        INSURER,
        "--name",
        TENANT_NAME,
    ])
    .success()
    .stdout_has(&format!("added tenant {INSURER}"));
    s.run_en(&[
        "members",
        "import",
        "--tenant",
        INSURER,
        &fixture("roster-utf8-bom.csv"),
    ])
    .success()
    .stdout_has("imported 3 rows (3 new, 0 updated, 0 unchanged, 0 suspended).");
    let out = s.path("postcards.csv");
    s.run_en(&["credentials", "issue", "--tenant", INSURER, "--out", &out])
        .success()
        .stdout_has("issued 3 to");
    s.run_en(&["tenant", "add", "--insurer-number", INSURER, "--name", "x"])
        .failure(1)
        .stderr_has("already exists");
}

each_backend!(lc_all_wins_over_lang);
fn lc_all_wins_over_lang(s: Setup) {
    let mut cmd = s.command(JA);
    cmd.env("LC_ALL", EN);
    Run::exec(s.backend(), cmd, &["audit", "--tenant", INSURER])
        .failure(1)
        .stderr_has("no tenant has insurer number");
    let mut cmd = s.command(EN);
    cmd.env("LC_MESSAGES", JA);
    Run::exec(s.backend(), cmd, &["audit", "--tenant", INSURER])
        .failure(1)
        .stderr_has("テナントはありません");
}
