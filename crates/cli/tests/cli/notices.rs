//! `madoguchi notices add|list|withdraw` (DESIGN §10): what the operator sees, what members will
//! see (stored), the e-mail queued for members who asked for it, and bad input.

use chrono::Utc;
use madoguchi_domain::onboarding::AccountState;
use madoguchi_persistence::{accounts, notices, outbox};

use crate::helpers::{INSURER, Setup, each_backend};

/// Makes the roster member `code` an active account with `email` and the update e-mail flag.
fn active(s: &Setup, code: &str, email: &str, notify: bool, state: AccountState) {
    let mut conn = s.conn();
    let member = s.member(code);
    let now = Utc::now();
    let account = accounts::create(&mut conn, &member, state, now).unwrap();
    accounts::set_email(&mut conn, &account.id, email, true, now).unwrap();
    accounts::set_notify(&mut conn, &account.id, notify, now).unwrap();
}

fn add(s: &Setup, title: &str, body: &str, extra: &[&str]) -> crate::helpers::Run {
    let file = s.write("body.txt", body);
    let mut args = vec![
        "notices",
        "add",
        "--tenant",
        INSURER,
        "--title",
        title,
        "--body-file",
        &file,
    ];
    args.extend_from_slice(extra);
    s.run(&args)
}

each_backend!(a_notice_is_added_listed_mailed_and_withdrawn);
fn a_notice_is_added_listed_mailed_and_withdrawn(s: Setup) {
    let b = s.backend();
    s.tenant_with_roster();
    active(&s, "A-0001", "a1@example.jp", true, AccountState::Active);
    active(&s, "A-0002", "a2@example.jp", false, AccountState::Active);
    active(&s, "A-0003", "a3@example.jp", true, AccountState::Suspended);

    let run = add(
        &s,
        "\u{3000}ＷＥＢ明細の公開について ",
        "\r\n  12月から明細を公開します。\r\nhttps://example.jp/guide\r\n\r\n",
        &["--important"],
    )
    .success()
    .stdout_has("メール 1 通を送信待ちにしました");
    let id = run.lines()[0].split('\t').next().unwrap().to_owned();

    let stored = notices::get(&mut s.conn(), &id).unwrap().unwrap();
    assert_eq!(
        stored.title, "WEB明細の公開について",
        "[{b}] NFKC and trimmed"
    );
    assert_eq!(
        stored.body, "  12月から明細を公開します。\nhttps://example.jp/guide",
        "[{b}] the body as written, with LF line endings"
    );
    assert!(stored.important && stored.fanned_out_at.is_some(), "[{b}]");
    let mut conn = s.conn();
    assert_eq!(
        outbox::to_recipient(&mut conn, "a1@example.jp")
            .unwrap()
            .len(),
        1,
        "[{b}]"
    );
    assert!(
        outbox::to_recipient(&mut conn, "a2@example.jp")
            .unwrap()
            .is_empty(),
        "[{b}] opted out"
    );
    assert!(
        outbox::to_recipient(&mut conn, "a3@example.jp")
            .unwrap()
            .is_empty(),
        "[{b}] suspended"
    );
    let mail = &outbox::to_recipient(&mut conn, "a1@example.jp").unwrap()[0];
    assert!(
        mail.subject.contains("WEB明細の公開について"),
        "[{b}] {}",
        mail.subject
    );
    assert!(
        mail.body_text.contains(&format!("/menu/notice?id={id}")),
        "[{b}]"
    );

    let list = s.run(&["notices", "list", "--tenant", INSURER]).success();
    let fields: Vec<&str> = list.lines()[0].split('\t').collect();
    assert_eq!(fields[0], id, "{list}");
    assert!(fields[1].ends_with("+09:00"), "{list}");
    assert_eq!(
        &fields[2..],
        ["掲載中", "重要", "メール手配済み", "WEB明細の公開について"],
        "{list}"
    );

    s.run(&["notices", "withdraw", &format!(" {id} ")])
        .success()
        .stdout_has("取り下げました")
        .stdout_has("未送信のメール 1 通を取り消しました");
    assert!(
        outbox::to_recipient(&mut conn, "a1@example.jp")
            .unwrap()
            .is_empty(),
        "[{b}] the withdrawn notice's waiting e-mail is cancelled"
    );
    s.run(&["notices", "withdraw", &id])
        .success()
        .stdout_has("既に取り下げられています");
    let list = s
        .run_en(&["notices", "list", "--tenant", INSURER])
        .success();
    assert!(
        list.lines()[0].contains("\twithdrawn\timportant\t"),
        "{list}"
    );
    assert!(
        notices::published(&mut s.conn(), &stored.tenant_id, "x", Utc::now())
            .unwrap()
            .is_empty()
    );

    let audit = s.run(&["audit", "--tenant", INSURER]).success();
    assert!(audit.stdout.contains("notice_added"), "{audit}");
    assert_eq!(
        audit.stdout.matches("notice_withdrawn").count(),
        1,
        "{audit}"
    );

    s.run(&["notices", "withdraw", "no-such-notice"])
        .failure(1)
        .stderr_has("ID no-such-notice のお知らせはありません");
}

each_backend!(a_scheduled_notice_waits_for_its_time);
fn a_scheduled_notice_waits_for_its_time(s: Setup) {
    let b = s.backend();
    s.tenant_with_roster();
    active(&s, "A-0001", "a1@example.jp", true, AccountState::Active);
    let run = add(
        &s,
        "来年のお知らせ",
        "本文",
        &["--publish-at", "２０９９-01-05T09:00+09:00"],
    )
    .success()
    .stdout_has("2099-01-05T09:00+09:00 に掲載します");
    let id = run.lines()[0].split('\t').next().unwrap().to_owned();
    assert!(
        outbox::to_recipient(&mut s.conn(), "a1@example.jp")
            .unwrap()
            .is_empty(),
        "[{b}] nobody is mailed before its time"
    );
    let tenant = s.tenant();
    assert!(
        notices::published(&mut s.conn(), &tenant.id, "x", Utc::now())
            .unwrap()
            .is_empty()
    );
    let list = s.run(&["notices", "list", "--tenant", INSURER]).success();
    assert_eq!(
        list.lines()[0].split('\t').collect::<Vec<_>>(),
        [
            id.as_str(),
            "2099-01-05T09:00+09:00",
            "予約",
            "-",
            "メール手配待ち",
            "来年のお知らせ"
        ],
        "{list}"
    );
}

each_backend!(bad_input_is_refused_naming_the_option);
fn bad_input_is_refused_naming_the_option(s: Setup) {
    s.tenant_with_roster();
    add(&s, " \u{3000}", "本文", &[])
        .failure(1)
        .stderr_has("--title: タイトルを入力してください。");
    add(&s, &"長".repeat(101), "本文", &[])
        .failure(1)
        .stderr_has("--title: タイトルは 100 文字以内");
    add(&s, "題名", "\r\n \r\n", &[])
        .failure(1)
        .stderr_has("--body-file: 本文ファイルが空です");
    add(&s, "題名", "本文", &["--publish-at", "2099/01/05 09:00"])
        .failure(1)
        .stderr_has("--publish-at");
    add(
        &s,
        "題名",
        "本文",
        &["--publish-at", "2020-01-05T09:00+09:00"],
    )
    .failure(1)
    .stderr_has("--publish-at: 2020-01-05T09:00+09:00 は過去の日時です");
    let sjis = s.path("sjis.txt");
    std::fs::write(&sjis, b"\x82\xa0\x82\xa2").unwrap();
    s.run(&[
        "notices",
        "add",
        "--tenant",
        INSURER,
        "--title",
        "題名",
        "--body-file",
        &sjis,
    ])
    .failure(1)
    .stderr_has("--body-file: 1行目が UTF-8 として読めません");
    s.run(&[
        "notices",
        "add",
        "--tenant",
        INSURER,
        "--title",
        "題名",
        "--body-file",
        "missing.txt",
    ])
    .failure(1)
    .stderr_has("--body-file: missing.txt を読めません");
    s.run(&[
        "notices",
        "add",
        "--tenant",
        "01130012",
        "--title",
        "題名",
        "--body-file",
        &s.write("b.txt", "x"),
    ])
    .failure(1)
    .stderr_has("保険者番号 01130012 のテナントはありません");
    s.run(&[
        "notices",
        "add",
        "--tenant",
        INSURER,
        "--body-file",
        &s.write("c.txt", "x"),
    ])
    .failure(2);
    let english = s.run_en(&[
        "notices",
        "add",
        "--tenant",
        INSURER,
        "--title",
        "",
        "--body-file",
        &s.write("d.txt", "x"),
    ]);
    english.failure(1).stderr_has("--title: Enter a title.");
    s.run(&["notices", "list", "--tenant", INSURER]).success();
    assert!(
        notices::list_for_tenant(&mut s.conn(), &s.tenant().id)
            .unwrap()
            .is_empty(),
        "[{}] nothing was stored",
        s.backend()
    );
}
