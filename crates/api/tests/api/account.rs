//! The member's own account: password change, e-mail address, notification flag.

use madoguchi_domain::hashing::hash_secret;
use madoguchi_persistence::temporary_credentials::{self, NewTemporaryCredential, Purpose};
use serde_json::json;

use crate::helpers::{TestApp, each_backend};
use crate::recovery::link_token;

const STRONG: &str = "Sakura2026x";
const EMAIL: &str = "ichiro@example.jp";

each_backend!(a_member_changes_the_password_with_the_current_one);
async fn a_member_changes_the_password_with_the_current_one(app: TestApp) {
    let member = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let other_device = app.login("Takahashi01", STRONG).await.token();
    let change = |body: serde_json::Value| {
        app.post("/api/v1/account/password/change", body)
            .bearer(&member)
    };
    change(json!({"new_password": "Momiji2027y", "new_password_confirmation": "Momiji2027y"}))
        .send()
        .await
        .problem(422, "validation_failed")
        .has_field("current_password", "required");
    change(
        json!({"current_password": STRONG, "new_password": "Momiji2027y",
                  "new_password_confirmation": "Momiji2027x"}),
    )
    .send()
    .await
    .problem(422, "validation_failed")
    .has_field(
        "new_password_confirmation",
        "password_confirmation_mismatch",
    );
    change(
        json!({"current_password": "Wrong12345", "new_password": "Momiji2027y",
                  "new_password_confirmation": "Momiji2027y"}),
    )
    .send()
    .await
    .problem(401, "invalid_credentials");
    assert_eq!(
        app.account("1-1-00").failed_attempts,
        1,
        "[{}] it counts",
        app.backend
    );

    let answer = change(
        json!({"current_password": STRONG, "new_password": "Momiji2027y",
                               "new_password_confirmation": "Momiji2027y"}),
    )
    .send()
    .await;
    answer.ok(200).step("menu");
    assert_eq!(app.account("1-1-00").failed_attempts, 0);
    app.get("/api/v1/me")
        .bearer(&answer.token())
        .send()
        .await
        .ok(200);
    for old in [&member, &other_device] {
        app.get("/api/v1/me")
            .bearer(old)
            .send()
            .await
            .problem(401, "session_revoked");
    }
    assert!(
        app.mails_to(EMAIL)
            .iter()
            .any(|m| m.kind == "password_changed")
    );
}

each_backend!(an_operator_reissue_leads_to_the_password_change);
async fn an_operator_reissue_leads_to_the_password_change(app: TestApp) {
    app.registered("1-1-00", "Takahashi01", STRONG).await;
    let account = app.account("1-1-00");
    let now = app.clock_now();
    temporary_credentials::replace(
        &mut app.conn(),
        &NewTemporaryCredential {
            account_id: &account.id,
            login_id: None,
            password_hash: &hash_secret("Kx7pQ2mZ9a"),
            purpose: Purpose::OperatorReissue,
            expires_at: now + chrono::Duration::days(90),
        },
        now,
    )
    .unwrap();
    let answer = app.login("Takahashi01", "Kx7pQ2mZ9a").await;
    answer.ok(200).step("change_password");
    let token = answer.token();
    app.post(
        "/api/v1/account/password/change",
        json!({"new_password": "Kx7pQ2mZ9a", "new_password_confirmation": "Kx7pQ2mZ9a"}),
    )
    .bearer(&token)
    .send()
    .await
    .problem(422, "validation_failed")
    .has_field("new_password", "password_equals_temporary");
    app.post(
        "/api/v1/account/password/change",
        json!({"new_password": "Kaede2027w", "new_password_confirmation": "Kaede2027w"}),
    )
    .bearer(&token)
    .send()
    .await
    .ok(200)
    .step("menu");
    app.login("Takahashi01", "Kaede2027w")
        .await
        .ok(200)
        .step("menu");
}

each_backend!(a_verified_address_stays_until_the_new_one_is_verified);
async fn a_verified_address_stays_until_the_new_one_is_verified(app: TestApp) {
    let member = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let first = link_token(&app, EMAIL);
    app.post("/api/v1/email/verify", json!({ "token": first }))
        .send()
        .await
        .ok(200);

    app.put_json(
        "/api/v1/me/email",
        json!({"email": "new@example.jp", "current_password": "Wrong12345"}),
    )
    .bearer(&member)
    .send()
    .await
    .problem(401, "invalid_credentials");
    app.put_json(
        "/api/v1/me/email",
        json!({"email": "new@", "current_password": STRONG}),
    )
    .bearer(&member)
    .send()
    .await
    .problem(422, "validation_failed")
    .has_field("email", "email_invalid");
    let answer = app
        .put_json(
            "/api/v1/me/email",
            json!({"email": "New@Example.JP", "current_password": STRONG}),
        )
        .bearer(&member)
        .send()
        .await;
    answer.ok(200);
    assert_eq!(answer.body["email"], EMAIL, "{}", answer.context());
    assert_eq!(answer.body["email_verified"], true);
    assert_eq!(answer.body["pending_email"], "New@example.jp");
    // The page itself shows it too (read with the session).
    let me = app.get("/api/v1/me").bearer(&member).send().await;
    assert_eq!(
        me.body["pending_email"],
        "New@example.jp",
        "{}",
        me.context()
    );
    assert!(
        app.mails_to(EMAIL)
            .iter()
            .any(|m| m.kind == "address_change_notice"),
        "[{}] the old address is told",
        app.backend
    );
    let link = link_token(&app, "New@example.jp");
    app.post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await
        .ok(200);
    let me = app.get("/api/v1/me").bearer(&member).send().await;
    assert_eq!(me.body["email"], "New@example.jp", "{}", me.context());
    assert_eq!(me.body["email_verified"], true);
    assert_eq!(me.body["pending_email"], serde_json::Value::Null);
}

each_backend!(an_unverified_address_is_replaced_and_older_links_stop_working);
async fn an_unverified_address_is_replaced_and_older_links_stop_working(app: TestApp) {
    let member = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let stale = link_token(&app, EMAIL);
    let answer = app
        .put_json(
            "/api/v1/me/email",
            json!({"email": "typo-fixed@example.jp", "current_password": STRONG}),
        )
        .bearer(&member)
        .send()
        .await;
    answer.ok(200);
    assert_eq!(
        answer.body["email"],
        "typo-fixed@example.jp",
        "{}",
        answer.context()
    );
    assert_eq!(answer.body["email_verified"], false);
    app.post("/api/v1/email/verify", json!({ "token": stale }))
        .send()
        .await
        .problem(410, "verification_token_invalid");

    // Five verification e-mails an hour, the address change's included.
    for _ in 0..4 {
        app.post_empty("/api/v1/me/email/verification")
            .bearer(&member)
            .send()
            .await
            .ok(202);
    }
    app.post_empty("/api/v1/me/email/verification")
        .bearer(&member)
        .send()
        .await
        .problem(429, "too_many_attempts");
    let link = link_token(&app, "typo-fixed@example.jp");
    app.post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await
        .ok(200);
}

each_backend!(the_notification_flag_is_stored);
async fn the_notification_flag_is_stored(app: TestApp) {
    let member = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let answer = app
        .put_json(
            "/api/v1/me/notifications",
            json!({"notify_on_update": false}),
        )
        .bearer(&member)
        .send()
        .await;
    answer.ok(200);
    assert_eq!(
        answer.body["notify_on_update"],
        false,
        "{}",
        answer.context()
    );
    assert!(!app.account("1-1-00").notify_on_update);
    app.put_json(
        "/api/v1/me/notifications",
        json!({"notify_on_update": "yes"}),
    )
    .bearer(&member)
    .send()
    .await
    .problem(422, "validation_failed");
    app.put_json("/api/v1/me/notifications", json!({}))
        .bearer(&member)
        .send()
        .await
        .problem(422, "validation_failed");
}
