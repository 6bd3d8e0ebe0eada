//! What a member needs when something goes wrong: how many tries are left, when a lock ends and
//! whom to call, the kenpo's contact everywhere it can be named, and input written the way
//! people write it (grouped IDs, era dates).

use chrono::Duration;
use madoguchi_persistence::tenants::{self, SettingsChange};
use serde_json::json;

use crate::helpers::{TENANT_NAME, TestApp, credentials, each_backend};

const STRONG: &str = "Sakura2026x";

/// The tenant's help desk, as an operator sets it with `tenant set --contact-*`.
fn set_contact(app: &TestApp) {
    let change = SettingsChange {
        contact_name: Some(Some("日本電気健康保険組合 業務課".into())),
        contact_phone: Some(Some("03-1234-5678".into())),
        contact_hours: Some(Some("平日 9:00〜17:00".into())),
        ..Default::default()
    };
    tenants::update_settings(&mut app.conn(), &app.tenant.id, change, app.clock_now()).unwrap();
}

fn wrong_birth_date(app: &TestApp, code: &str) -> serde_json::Value {
    let mut body = app.identity_body(code);
    body["birth_date"] = json!("19000101");
    body
}

each_backend!(the_identity_check_counts_down_then_says_until_when_and_whom_to_call);
async fn the_identity_check_counts_down_then_says_until_when_and_whom_to_call(app: TestApp) {
    let b = app.backend;
    set_contact(&app);
    let (_, token) = app.at_identity("1-1-00").await;
    let mut remaining = Vec::new();
    for _ in 0..4 {
        let answer = app
            .post(
                "/api/v1/onboarding/identity",
                wrong_birth_date(&app, "1-1-00"),
            )
            .bearer(&token)
            .send()
            .await;
        answer.problem(401, "identity_mismatch");
        remaining.push(answer.body["remaining_attempts"].as_u64());
        if answer.body["remaining_attempts"] == 2 {
            assert!(
                answer
                    .detail()
                    .contains("あと2回間違えると30分間ロックされます"),
                "{}",
                answer.context()
            );
        }
    }
    assert_eq!(remaining, [None, None, Some(2), Some(1)], "[{b}]");

    let locked = app
        .post(
            "/api/v1/onboarding/identity",
            wrong_birth_date(&app, "1-1-00"),
        )
        .bearer(&token)
        .send()
        .await;
    locked.problem(423, "account_locked");
    let until = (app.clock_now() + Duration::minutes(30))
        .with_timezone(&madoguchi_domain::calendar::Tokyo)
        .to_rfc3339();
    assert_eq!(locked.body["locked_until"], until, "{}", locked.context());
    assert_eq!(locked.retry_after(), 1800, "{}", locked.context());
    assert_eq!(
        locked.body["contact"],
        json!({"name": "日本電気健康保険組合 業務課", "phone": "03-1234-5678",
            "hours": "平日 9:00〜17:00", "url": null}),
        "{}",
        locked.context()
    );
    assert!(
        locked.detail().contains("10時30分まで"),
        "{}",
        locked.context()
    );

    // At the login screen the lock says until when, never which kenpo.
    let postcard = app.provision("1-2-00");
    for _ in 0..5 {
        app.login(&postcard.login_id, "Wrong12345").await;
    }
    let at_login = app.login(&postcard.login_id, &postcard.password).await;
    at_login.problem(423, "account_locked");
    assert!(
        at_login.body["locked_until"].is_string(),
        "{}",
        at_login.context()
    );
    assert!(
        at_login.body.get("contact").is_none(),
        "{}",
        at_login.context()
    );
}

each_backend!(the_member_sees_the_name_address_and_contact_and_the_previous_sign_in);
async fn the_member_sees_the_name_address_and_contact_and_the_previous_sign_in(app: TestApp) {
    let b = app.backend;
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let me = app.get("/api/v1/me").bearer(&token).send().await;
    me.ok(200);
    assert_eq!(me.body["name"], "髙橋 一郎", "{}", me.context());
    assert_eq!(me.body["postal_code"], "108-8001");
    assert_eq!(me.body["address"], "東京都港区芝五丁目7番1号");
    assert_eq!(
        me.body["tenant"]["contact"],
        json!(null),
        "[{b}] none set yet"
    );
    assert_eq!(
        me.body["last_login_at"],
        json!(null),
        "[{b}] the registering session is the first"
    );

    set_contact(&app);
    let session = app.get("/api/v1/session").bearer(&token).send().await;
    assert_eq!(
        session.body["tenant_contact"]["phone"],
        "03-1234-5678",
        "{}",
        session.context()
    );
    let registered_at = app
        .clock_now()
        .with_timezone(&madoguchi_domain::calendar::Tokyo)
        .to_rfc3339();
    app.advance(Duration::days(3));
    let token = app.login("takahashi01", STRONG).await.ok(200).token();
    let me = app.get("/api/v1/me").bearer(&token).send().await;
    assert_eq!(me.body["last_login_at"], registered_at, "{}", me.context());
    assert_eq!(
        me.body["tenant"]["contact"]["name"],
        "日本電気健康保険組合 業務課",
        "{}",
        me.context()
    );
}

each_backend!(every_e_mail_ends_with_the_kenpo_contact);
async fn every_e_mail_ends_with_the_kenpo_contact(app: TestApp) {
    set_contact(&app);
    app.registered("1-1-00", "Takahashi01", STRONG).await;
    let mails = app.mails_to("ichiro@example.jp");
    let confirmation = mails.last().unwrap();
    let text = confirmation.body_text.trim_end();
    assert!(
        text.ends_with("日本電気健康保険組合 業務課\n電話 / Tel. 03-1234-5678（平日 9:00〜17:00）"),
        "[{}] {text}",
        app.backend
    );
    assert!(
        confirmation
            .body_html
            .as_deref()
            .unwrap()
            .contains("電話 / Tel. 03-1234-5678"),
        "[{}]",
        app.backend
    );
}

each_backend!(grouped_temporary_ids_and_era_birth_dates_are_understood);
async fn grouped_temporary_ids_and_era_birth_dates_are_understood(app: TestApp) {
    let postcard = app.provision("1-1-00");
    let id = &postcard.login_id;
    let grouped = format!("{} {} {}", &id[..4], &id[4..8], &id[8..]);
    let token = app
        .login(&grouped, &postcard.password)
        .await
        .ok(200)
        .step("verify_identity")
        .token();
    let mut body = app.identity_body("1-1-00");
    body["birth_date"] = json!("昭和54年8月22日");
    let answer = app
        .post("/api/v1/onboarding/identity", body)
        .bearer(&token)
        .send()
        .await;
    answer.ok(200).step("register_credentials");
    let token = answer.token();
    // The postcard's ID again as the new user ID: said as such, before its length.
    let again = app
        .post(
            "/api/v1/onboarding/credentials/check",
            credentials(&grouped, STRONG, "ichiro@example.jp"),
        )
        .bearer(&token)
        .send()
        .await;
    again.problem(422, "validation_failed");
    assert_eq!(
        again.body["errors"][0]["code"],
        "user_id_equals_temporary",
        "{}",
        again.context()
    );
}

each_backend!(a_wrong_current_password_is_named_as_such);
async fn a_wrong_current_password_is_named_as_such(app: TestApp) {
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let answer = app
        .post(
            "/api/v1/account/password/change",
            json!({"current_password": "Wrong12345", "new_password": "Momiji2027y",
                "new_password_confirmation": "Momiji2027y"}),
        )
        .bearer(&token)
        .send()
        .await;
    answer.problem(401, "invalid_credentials");
    assert!(
        answer.detail().starts_with("現在のパスワードが違います"),
        "{}",
        answer.context()
    );
}

each_backend!(a_confirmation_link_opened_again_says_the_address_is_confirmed);
async fn a_confirmation_link_opened_again_says_the_address_is_confirmed(app: TestApp) {
    app.registered("1-1-00", "Takahashi01", STRONG).await;
    let link = crate::recovery::link_token(&app, "ichiro@example.jp");
    let first = app
        .post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await;
    first.ok(200);
    assert_eq!(first.body["already_verified"], false, "{}", first.context());
    let again = app
        .post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await;
    again.ok(200);
    assert_eq!(again.body["already_verified"], true, "{}", again.context());
    // A forged secret on the same link is still refused.
    let (id, _) = link.split_once('.').unwrap();
    app.post(
        "/api/v1/email/verify",
        json!({ "token": format!("{id}.forged") }),
    )
    .send()
    .await
    .problem(410, "verification_token_invalid");
}

each_backend!(the_default_terms_name_the_members_kenpo);
async fn the_default_terms_name_the_members_kenpo(app: TestApp) {
    madoguchi_persistence::terms::publish(
        &mut app.conn(),
        None,
        "利用規約",
        "この利用規約は、{kenpo}（以下「当組合」といいます。）が定めます。",
        app.clock_now(),
    )
    .unwrap();
    let (_, token) = app.at_identity("1-1-00").await;
    let terms = app
        .get("/api/v1/onboarding/terms")
        .bearer(&token)
        .send()
        .await;
    terms.ok(200);
    assert_eq!(
        terms.body["body"],
        format!("この利用規約は、{TENANT_NAME}（以下「当組合」といいます。）が定めます。"),
        "{}",
        terms.context()
    );
    let public = app.get("/api/v1/terms").send().await;
    assert!(
        public.body["body"]
            .as_str()
            .unwrap()
            .contains("ご加入の健康保険組合（以下"),
        "{}",
        public.context()
    );
}
