//! お知らせ (DESIGN §10): what a member sees of the kenpo's notices, the read marks, the unread
//! count of `/me`, scheduled publishing on the manual clock and the announcing e-mail.

use chrono::{DateTime, Duration, Utc};
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_persistence::notices::{self, NewNotice, Notice};
use madoguchi_persistence::tenants;

use crate::helpers::{TestApp, each_backend};

const STRONG: &str = "Sakura2026x";
const EMAIL: &str = "ichiro@example.jp";

/// Posts a notice as `madoguchi notices add` stores it.
fn post(
    app: &TestApp,
    tenant_id: &str,
    title: &str,
    publish_at: DateTime<Utc>,
    important: bool,
) -> Notice {
    notices::add(
        &mut app.conn(),
        &NewNotice {
            tenant_id,
            title,
            body: "窓口を休業します。\n詳しくは https://example.jp/kenpo?a=1&b=2 をご覧ください。",
            publish_at,
            important,
            created_by: "operator:tester@host",
        },
        app.clock_now(),
    )
    .unwrap()
}

fn notice_mails(app: &TestApp) -> Vec<madoguchi_persistence::outbox::QueuedEmail> {
    app.mails_to(EMAIL)
        .into_iter()
        .filter(|m| m.kind == "notice_published")
        .collect()
}

each_backend!(a_member_reads_their_kenpos_notices_and_the_unread_count_follows);
async fn a_member_reads_their_kenpos_notices_and_the_unread_count_follows(app: TestApp) {
    let b = app.backend;
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let now = app.clock_now();
    let other = tenants::insert(
        &mut app.conn(),
        &InsurerNumber::parse("01130012").unwrap(),
        "別の健康保険組合",
        now,
    )
    .unwrap();
    let old = post(
        &app,
        &app.tenant.id,
        "健診のご案内",
        now - Duration::days(1),
        false,
    );
    let new = post(
        &app,
        &app.tenant.id,
        "年末年始の休業",
        now - Duration::hours(1),
        true,
    );
    let foreign = post(
        &app,
        &other.id,
        "他の組合のお知らせ",
        now - Duration::hours(1),
        false,
    );
    let later = post(
        &app,
        &app.tenant.id,
        "来月のお知らせ",
        now + Duration::days(1),
        false,
    );
    let gone = post(
        &app,
        &app.tenant.id,
        "取り下げたお知らせ",
        now - Duration::hours(2),
        false,
    );
    notices::withdraw(&mut app.conn(), &gone.id, now).unwrap();

    let me = app.get("/api/v1/me").bearer(&token).send().await;
    me.ok(200);
    assert_eq!(me.body["unread_notices"], 2, "{}", me.context());

    let list = app.get("/api/v1/me/notices").bearer(&token).send().await;
    list.ok(200);
    let items = list.body.as_array().unwrap();
    let titles: Vec<&str> = items.iter().map(|n| n["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        ["年末年始の休業", "健診のご案内"],
        "{}",
        list.context()
    );
    assert_eq!(items[0]["id"], new.id.as_str());
    assert_eq!(items[0]["important"], true);
    assert_eq!(items[0]["read"], false);
    assert_eq!(items[1]["important"], false);
    let published = items[0]["published_at"].as_str().unwrap();
    assert!(published.ends_with("+09:00"), "[{b}] {published}");
    assert_eq!(
        DateTime::parse_from_rfc3339(published).unwrap(),
        new.publish_at,
        "[{b}]"
    );
    assert!(
        items[0].get("body").is_none(),
        "[{b}] the list has no bodies"
    );

    let opened = app
        .get(&format!("/api/v1/me/notices/{}", old.id))
        .bearer(&token)
        .send()
        .await;
    opened.ok(200);
    assert_eq!(opened.body["title"], "健診のご案内", "{}", opened.context());
    assert_eq!(opened.body["read"], true);
    assert_eq!(
        opened.body["body"],
        "窓口を休業します。\n詳しくは https://example.jp/kenpo?a=1&b=2 をご覧ください。"
    );

    let me = app.get("/api/v1/me").bearer(&token).send().await;
    assert_eq!(me.body["unread_notices"], 1, "{}", me.context());
    let list = app.get("/api/v1/me/notices").bearer(&token).send().await;
    assert_eq!(list.body[0]["read"], false, "{}", list.context());
    assert_eq!(list.body[1]["read"], true, "{}", list.context());

    // Another kenpo's, a scheduled, a withdrawn and an unknown notice: one 404 for all.
    for id in [
        &foreign.id,
        &later.id,
        &gone.id,
        &"no-such-notice".to_owned(),
        &"x".repeat(80),
    ] {
        let answer = app
            .get(&format!("/api/v1/me/notices/{id}"))
            .bearer(&token)
            .send()
            .await;
        answer.problem(404, "notice_not_found");
        assert!(!answer.text.contains("他の組合"), "{}", answer.context());
        assert!(!answer.text.contains("来月"), "{}", answer.context());
    }
    let english = app
        .get(&format!("/api/v1/me/notices/{}", foreign.id))
        .bearer(&token)
        .english()
        .send()
        .await;
    english.problem(404, "notice_not_found");
    assert_eq!(
        english.body["title"],
        "Notice not found",
        "{}",
        english.context()
    );

    // Without a member token: no notices.
    app.get("/api/v1/me/notices")
        .send()
        .await
        .problem(401, "unauthenticated");
}

each_backend!(a_scheduled_notice_appears_and_is_mailed_at_its_time_once);
async fn a_scheduled_notice_appears_and_is_mailed_at_its_time_once(app: TestApp) {
    let b = app.backend;
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let now = app.clock_now();
    let notice = post(
        &app,
        &app.tenant.id,
        "保険証の切り替え",
        now + Duration::hours(1),
        true,
    );
    let withdrawn = post(
        &app,
        &app.tenant.id,
        "取り下げ予定",
        now + Duration::hours(1),
        false,
    );
    notices::withdraw(&mut app.conn(), &withdrawn.id, now).unwrap();

    app.run_outbox().await;
    assert!(notice_mails(&app).is_empty(), "[{b}] not before its time");
    let list = app.get("/api/v1/me/notices").bearer(&token).send().await;
    assert_eq!(list.body.as_array().unwrap().len(), 0, "{}", list.context());
    app.get(&format!("/api/v1/me/notices/{}", notice.id))
        .bearer(&token)
        .send()
        .await
        .problem(404, "notice_not_found");

    app.advance(Duration::hours(1));
    // The member token of an hour ago has expired: sign in again.
    let login = app.login("Takahashi01", STRONG).await;
    login.ok(200);
    let token = login.token();
    let list = app.get("/api/v1/me/notices").bearer(&token).send().await;
    assert_eq!(
        list.body[0]["title"],
        "保険証の切り替え",
        "{}",
        list.context()
    );
    let me = app.get("/api/v1/me").bearer(&token).send().await;
    assert_eq!(me.body["unread_notices"], 1, "{}", me.context());

    app.run_outbox().await;
    app.run_outbox().await;
    let mails = notice_mails(&app);
    assert_eq!(mails.len(), 1, "[{b}] one e-mail per member and notice");
    let mail = &mails[0];
    assert!(mail.subject.contains("【重要】"), "[{b}] {}", mail.subject);
    assert!(
        mail.subject.contains("保険証の切り替え"),
        "[{b}] {}",
        mail.subject
    );
    assert!(
        mail.body_text.contains(&format!(
            "http://127.0.0.1:8080/menu/notice?id={}",
            notice.id
        )),
        "[{b}] {}",
        mail.body_text
    );
    assert!(
        !mail.body_text.contains("窓口を休業します"),
        "[{b}] the notice's text stays behind the sign-in"
    );
    assert!(
        notices::get(&mut app.conn(), &notice.id)
            .unwrap()
            .unwrap()
            .fanned_out_at
            .is_some()
    );
}

each_backend!(a_member_who_turned_update_mail_off_gets_none);
async fn a_member_who_turned_update_mail_off_gets_none(app: TestApp) {
    let b = app.backend;
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    app.put_json(
        "/api/v1/me/notifications",
        serde_json::json!({"notify_on_update": false}),
    )
    .bearer(&token)
    .send()
    .await
    .ok(200);
    post(&app, &app.tenant.id, "即時掲載", app.clock_now(), false);
    app.run_outbox().await;
    assert!(notice_mails(&app).is_empty(), "[{b}]");
    // The notice is still there to read.
    let me = app.get("/api/v1/me").bearer(&token).send().await;
    assert_eq!(me.body["unread_notices"], 1, "{}", me.context());
}
