//! `madoguchi tenant add|set|terms|list`.

use madoguchi_persistence::{tenants, terms};

use crate::helpers::{INSURER, OTHER_INSURER, Setup, TENANT_NAME, each_backend};

each_backend!(tenant_add_accepts_full_width_digits_and_stores_the_half_width_number);
fn tenant_add_accepts_full_width_digits_and_stores_the_half_width_number(s: Setup) {
    s.run(&[
        "tenant",
        "add",
        "--insurer-number",
        "０６１３００９０",
        "--name",
        TENANT_NAME,
    ])
    .success()
    .stdout_has(&format!("{INSURER} {TENANT_NAME}"));
    let tenant = s.tenant();
    assert_eq!(tenant.name, TENANT_NAME, "{}", s.backend());
    assert_eq!(
        (
            tenant.lockout_minutes,
            tenant.postcard_days,
            tenant.nightly_closure
        ),
        (30, 90, false),
        "[{}] defaults of DESIGN §2",
        s.backend()
    );
}

each_backend!(tenant_add_refuses_a_bad_check_digit_naming_the_flag);
fn tenant_add_refuses_a_bad_check_digit_naming_the_flag(s: Setup) {
    s.run(&[
        "tenant",
        "add",
        "--insurer-number",
        "06130091",
        "--name",
        TENANT_NAME,
    ])
    .failure(1)
    .stderr_has("--insurer-number");
    assert!(
        tenants::list(&mut s.conn()).expect("tenants").is_empty(),
        "[{}] nothing stored",
        s.backend()
    );
}

each_backend!(tenant_add_refuses_a_duplicate_insurer_number);
fn tenant_add_refuses_a_duplicate_insurer_number(s: Setup) {
    s.add_tenant();
    s.run(&[
        "tenant",
        "add",
        "--insurer-number",
        INSURER,
        "--name",
        "別の名前",
    ])
    .failure(1)
    .stderr_has(INSURER)
    .stderr_has("既にあります");
    let all = tenants::list(&mut s.conn()).expect("tenants");
    assert_eq!(all.len(), 1, "[{}] one tenant", s.backend());
    assert_eq!(
        all[0].name,
        TENANT_NAME,
        "[{}] the first name stays",
        s.backend()
    );
}

each_backend!(tenant_add_with_terms_publishes_the_tenants_own_terms);
fn tenant_add_with_terms_publishes_the_tenants_own_terms(s: Setup) {
    let file = s.write(
        "terms.txt",
        "\n第1条 この規約は窓口テスト健康保険組合の会員に適用します。\n",
    );
    s.run(&[
        "tenant",
        "add",
        "--insurer-number",
        INSURER,
        "--name",
        TENANT_NAME,
        "--terms",
        &file,
    ])
    .success();
    let tenant = s.tenant();
    let current = terms::current(&mut s.conn(), Some(&tenant.id))
        .expect("terms")
        .expect("tenant terms");
    assert_eq!(
        current.body,
        "第1条 この規約は窓口テスト健康保険組合の会員に適用します。",
        "{}",
        s.backend()
    );
    assert!(
        current.title.contains(TENANT_NAME),
        "[{}] title {}",
        s.backend(),
        current.title
    );
}

each_backend!(tenant_add_refuses_an_empty_terms_file_and_adds_nothing);
fn tenant_add_refuses_an_empty_terms_file_and_adds_nothing(s: Setup) {
    let file = s.write("empty.txt", "  \n");
    s.run(&[
        "tenant",
        "add",
        "--insurer-number",
        INSURER,
        "--name",
        TENANT_NAME,
        "--terms",
        &file,
    ])
    .failure(1);
    assert!(
        s.find_tenant(INSURER).is_none(),
        "[{}] no tenant",
        s.backend()
    );
}

each_backend!(tenant_list_prints_every_tenant);
fn tenant_list_prints_every_tenant(s: Setup) {
    s.add_tenant();
    s.run(&[
        "tenant",
        "add",
        "--insurer-number",
        OTHER_INSURER,
        "--name",
        "第二健康保険組合",
    ])
    .success();
    let run = s.run(&["tenant", "list"]).success();
    let mut lines = run.lines();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            format!("{OTHER_INSURER}\t第二健康保険組合"),
            format!("{INSURER}\t{TENANT_NAME}")
        ],
        "{run}"
    );
}
