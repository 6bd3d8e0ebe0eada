//! `madoguchi tenant set|terms`: a tenant's settings and its terms of use.

use madoguchi_persistence::terms;

use crate::helpers::{INSURER, Setup, TENANT_NAME, each_backend};

each_backend!(tenant_set_changes_each_setting);
fn tenant_set_changes_each_setting(s: Setup) {
    s.add_tenant();
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--lockout-minutes",
        "15",
    ])
    .success()
    .stdout_has("ロック 15 分");
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--postcard-days",
        "30",
        "--nightly-closure",
        "on",
    ])
    .success()
    .stdout_has("ハガキの有効期間 30 日")
    .stdout_has("夜間停止 あり");
    let t = s.tenant();
    assert_eq!(
        (t.lockout_minutes, t.postcard_days, t.nightly_closure),
        (15, 30, true),
        "{}",
        s.backend()
    );

    s.run_en(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--nightly-closure",
        "off",
    ])
    .success()
    .stdout_has("nightly closure off");
    let t = s.tenant();
    assert_eq!(
        (t.lockout_minutes, t.postcard_days, t.nightly_closure),
        (15, 30, false),
        "{}",
        s.backend()
    );
}

each_backend!(tenant_set_keeps_the_contact_that_members_see);
fn tenant_set_keeps_the_contact_that_members_see(s: Setup) {
    s.add_tenant();
    let b = s.backend();
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--contact-name",
        " 日本電気健康保険組合 業務課 ",
        "--contact-phone",
        "０３－１２３４－５６７８",
        "--contact-hours",
        "平日 9:00〜17:00",
        "--contact-url",
        "https://kenpo.example.jp/contact",
    ])
    .success()
    .stdout_has("問い合わせ先: 日本電気健康保険組合 業務課 / 03-1234-5678 / 平日 9:00〜17:00");
    let c = s.tenant().contact;
    assert_eq!(
        (
            c.name.as_deref(),
            c.phone.as_deref(),
            c.hours.as_deref(),
            c.url.as_deref()
        ),
        (
            Some("日本電気健康保険組合 業務課"),
            Some("03-1234-5678"),
            Some("平日 9:00〜17:00"),
            Some("https://kenpo.example.jp/contact")
        ),
        "[{b}] trimmed; the phone number's full-width digits made ASCII"
    );
    // Every bad part is named at once, and nothing changes.
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--contact-phone",
        "unknown",
        "--contact-url",
        "javascript:alert(1)",
    ])
    .failure(1)
    .stderr_has("--contact-phone: 電話番号は")
    .stderr_has("--contact-url: URL は");
    assert_eq!(s.tenant().contact, c, "[{b}]");
    // An empty value clears one part.
    s.run_en(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--contact-url",
        "",
    ])
    .success()
    .stdout_has("contact: 日本電気健康保険組合 業務課");
    assert_eq!(s.tenant().contact.url, None, "[{b}]");
    assert_eq!(
        s.tenant().contact.phone.as_deref(),
        Some("03-1234-5678"),
        "[{b}]"
    );
}

each_backend!(tenant_set_refuses_zero_and_changes_nothing);
fn tenant_set_refuses_zero_and_changes_nothing(s: Setup) {
    s.add_tenant();
    for flag in ["--lockout-minutes", "--postcard-days"] {
        s.run(&[
            "tenant",
            "set",
            "--insurer-number",
            INSURER,
            flag,
            "0",
            "--nightly-closure",
            "on",
        ])
        .failure(1)
        .stderr_has(flag);
    }
    let t = s.tenant();
    assert_eq!(
        (t.lockout_minutes, t.postcard_days, t.nightly_closure),
        (30, 90, false),
        "{}",
        s.backend()
    );
}

each_backend!(tenant_set_of_an_unknown_tenant_is_refused);
fn tenant_set_of_an_unknown_tenant_is_refused(s: Setup) {
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--lockout-minutes",
        "10",
    ])
    .failure(1)
    .stderr_has("tenant add");
}

each_backend!(tenant_set_and_terms_name_the_insurer_number_flag_of_a_bad_number);
fn tenant_set_and_terms_name_the_insurer_number_flag_of_a_bad_number(s: Setup) {
    let file = s.write("terms.txt", "規約");
    for args in [
        vec![
            "tenant",
            "set",
            "--insurer-number",
            "06130091",
            "--lockout-minutes",
            "10",
        ],
        vec!["tenant", "terms", "--insurer-number", "06130091", &file],
    ] {
        let run = s.run(&args).failure(1).stderr_has("--insurer-number");
        assert!(
            !run.stderr.contains("--tenant"),
            "[{}] the flag typed was --insurer-number\n{run}",
            s.backend()
        );
    }
}

each_backend!(tenant_terms_publishes_a_new_version);
fn tenant_terms_publishes_a_new_version(s: Setup) {
    let first = s.write("v1.txt", "第1版の規約");
    s.run(&[
        "tenant",
        "add",
        "--insurer-number",
        INSURER,
        "--name",
        TENANT_NAME,
        "--terms",
        &first,
    ])
    .success();
    let tenant = s.tenant();
    let before = terms::current(&mut s.conn(), Some(&tenant.id))
        .expect("terms")
        .expect("first version");

    let second = s.write("v2.txt", "第2版の規約\n個人情報の取扱いを改めました。");
    let run = s
        .run(&["tenant", "terms", "--insurer-number", INSURER, &second])
        .success();
    let after = terms::current(&mut s.conn(), Some(&tenant.id))
        .expect("terms")
        .expect("second version");
    assert_eq!(
        after.body,
        "第2版の規約\n個人情報の取扱いを改めました。",
        "{}",
        s.backend()
    );
    assert_ne!(
        after.version,
        before.version,
        "[{}] a new version",
        s.backend()
    );
    assert!(
        run.stdout.contains(&after.version),
        "[{}] the version is printed\n{run}",
        s.backend()
    );
}

each_backend!(tenant_set_changes_the_two_step_policy);
fn tenant_set_changes_the_two_step_policy(s: Setup) {
    use madoguchi_domain::two_step::TwoStepPolicy;
    s.add_tenant();
    assert_eq!(
        s.tenant().two_step,
        TwoStepPolicy::Optional,
        "[{}]",
        s.backend()
    );
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--two-step",
        "required",
    ])
    .success()
    .stdout_has("二段階認証 必須（required）");
    assert_eq!(
        s.tenant().two_step,
        TwoStepPolicy::Required,
        "[{}]",
        s.backend()
    );
    s.run_en(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--two-step",
        "off",
    ])
    .success()
    .stdout_has("two-step login off");
    assert_eq!(s.tenant().two_step, TwoStepPolicy::Off, "[{}]", s.backend());
    s.run(&[
        "tenant",
        "set",
        "--insurer-number",
        INSURER,
        "--two-step",
        "always",
    ])
    .failure(2);
}
