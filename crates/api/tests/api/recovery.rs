//! Recovery by e-mail: verification links, forgot user ID, forgot password.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{TestApp, each_backend, full_width};

const STRONG: &str = "Sakura2026x";
const EMAIL: &str = "ichiro@example.jp";

/// The token of the newest verification link mailed to `address`.
pub fn link_token(app: &TestApp, address: &str) -> String {
    let mails = app.mails_to(address);
    let text = mails
        .iter()
        .rev()
        .find_map(|m| m.body_text.split("token=").nth(1))
        .unwrap_or_else(|| panic!("[{}] no link mailed to {address}", app.backend));
    text.split_whitespace().next().unwrap().to_owned()
}

/// Runs the outbox worker and reads the temporary password it mailed to [`EMAIL`].
async fn temporary_password_mailed(app: &TestApp) -> String {
    app.run_outbox().await;
    let mail = app
        .mails_to(EMAIL)
        .into_iter()
        .find(|m| m.kind == "password_reissue")
        .unwrap_or_else(|| panic!("[{}] no temporary password mailed", app.backend));
    mail.body_text
        .lines()
        .find_map(|l| l.strip_prefix("仮パスワード: "))
        .unwrap()
        .trim()
        .to_owned()
}

/// Registered (as `Takahashi01` with [`EMAIL`]) and the address verified.
async fn verified_member(app: &TestApp) -> String {
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let link = link_token(app, EMAIL);
    app.post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await
        .ok(200);
    token
}

each_backend!(a_link_verifies_once_and_only_within_a_day);
async fn a_link_verifies_once_and_only_within_a_day(app: TestApp) {
    let member = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let link = link_token(&app, EMAIL);
    let me = app.get("/api/v1/me").bearer(&member).send().await;
    assert_eq!(me.body["email_verified"], false, "{}", me.context());
    assert_eq!(
        me.body["pending_email"],
        serde_json::Value::Null,
        "{}",
        me.context()
    );

    for forged in [
        "",
        "nothing",
        "01a2.wrong-secret",
        "01a2\u{0}.x",
        &format!("{link}x"),
    ] {
        let answer = app
            .post("/api/v1/email/verify", json!({ "token": forged }))
            .send()
            .await;
        assert!(
            answer.status == 410 || answer.status == 422,
            "{}",
            answer.context()
        );
    }
    let verified = app
        .post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await;
    verified.ok(200);
    assert_eq!(verified.body["email_verified"], true);
    // Used once: opened again, it says so and changes nothing.
    let again = app
        .post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await;
    again.ok(200);
    assert_eq!(again.body["already_verified"], true, "{}", again.context());
    let me = app.get("/api/v1/me").bearer(&member).send().await;
    assert_eq!(me.body["email_verified"], true, "{}", me.context());

    // A second member's link, used after 24 hours, is spent.
    app.registered("1-2-00", "Sato1985", STRONG).await;
    let late = link_token(&app, EMAIL);
    app.advance(Duration::hours(24) + Duration::seconds(1));
    app.post("/api/v1/email/verify", json!({ "token": late }))
        .send()
        .await
        .problem(410, "verification_token_invalid");
}

each_backend!(forgot_user_id_mails_it_only_to_a_verified_address);
async fn forgot_user_id_mails_it_only_to_a_verified_address(app: TestApp) {
    app.registered("1-1-00", "Takahashi01", STRONG).await;
    let ask = json!({"email": EMAIL, "birth_date": full_width("19790822")});
    app.post("/api/v1/recovery/user-id", ask.clone())
        .send()
        .await
        .ok(202);
    app.run_outbox().await;
    assert_eq!(
        app.mails_to(EMAIL).len(),
        1,
        "[{}] an unverified address gets nothing but its confirmation",
        app.backend
    );

    let link = link_token(&app, EMAIL);
    app.post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await
        .ok(200);
    app.post("/api/v1/recovery/user-id", ask)
        .send()
        .await
        .ok(202);
    app.post(
        "/api/v1/recovery/user-id",
        json!({"email": EMAIL, "birth_date": "19790823"}),
    )
    .send()
    .await
    .ok(202);
    app.run_outbox().await;
    let mails = app.mails_to(EMAIL);
    assert_eq!(mails.len(), 2, "[{}] one reminder: {mails:?}", app.backend);
    let reminder = &mails[1];
    assert_eq!(reminder.kind, "user_id_reminder");
    assert!(
        reminder.body_text.contains("ユーザID: Takahashi01"),
        "{reminder:?}"
    );
    assert!(!reminder.body_text.contains(STRONG), "never the password");
}

each_backend!(known_and_unknown_accounts_get_the_same_answer);
async fn known_and_unknown_accounts_get_the_same_answer(app: TestApp) {
    verified_member(&app).await;
    let known = app
        .post(
            "/api/v1/recovery/password",
            json!({"user_id": "takahashi01", "email": EMAIL}),
        )
        .send()
        .await;
    let unknown = app
        .post(
            "/api/v1/recovery/password",
            json!({"user_id": "Nobody123", "email": "nobody@example.jp"}),
        )
        .send()
        .await;
    let wrong_address = app
        .post(
            "/api/v1/recovery/password",
            json!({"user_id": "takahashi01", "email": "other@example.jp"}),
        )
        .send()
        .await;
    for answer in [&known, &unknown, &wrong_address] {
        answer.ok(202);
        assert_eq!(answer.body, known.body, "{}", answer.context());
    }
    app.run_outbox().await;
    assert!(app.mails_to("nobody@example.jp").is_empty());
    assert!(app.mails_to("other@example.jp").is_empty());
    let reissues = app
        .mails_to(EMAIL)
        .into_iter()
        .filter(|m| m.kind == "password_reissue")
        .count();
    assert_eq!(reissues, 1, "{}", app.backend);

    app.post(
        "/api/v1/recovery/password",
        json!({"user_id": "taka hashi", "email": "x@"}),
    )
    .send()
    .await
    .problem(422, "validation_failed")
    .has_field("user_id", "user_id_characters")
    .has_field("email", "email_invalid");
}

each_backend!(recovery_is_throttled_per_identifier_silently_and_per_address_openly);
async fn recovery_is_throttled_per_identifier_silently_and_per_address_openly(app: TestApp) {
    verified_member(&app).await;
    let ask = json!({"email": EMAIL, "birth_date": "19790822"});
    for _ in 0..5 {
        app.post("/api/v1/recovery/user-id", ask.clone())
            .peer("192.0.2.10")
            .send()
            .await
            .ok(202);
    }
    app.run_outbox().await;
    let reminders = app
        .mails_to(EMAIL)
        .into_iter()
        .filter(|m| m.kind == "user_id_reminder")
        .count();
    assert_eq!(
        reminders, 3,
        "[{}] three an hour per address asked",
        app.backend
    );

    for i in 0..55 {
        app.post(
            "/api/v1/recovery/user-id",
            json!({"email": format!("someone{i}@example.jp"), "birth_date": "19790822"}),
        )
        .peer("192.0.2.10")
        .send()
        .await
        .ok(202);
    }
    let throttled = app
        .post("/api/v1/recovery/user-id", ask.clone())
        .peer("192.0.2.10")
        .send()
        .await;
    throttled.problem(429, "too_many_attempts");
    assert!(throttled.retry_after() > 0);

    // Later the windows are over; the worker's housekeeping (what it deletes is tested in
    // the storage crate) runs on both databases, and the address may ask again.
    app.advance(chrono::Duration::days(8));
    app.housekeeping().await;
    app.post("/api/v1/recovery/user-id", ask)
        .peer("192.0.2.10")
        .send()
        .await
        .ok(202);
}

each_backend!(a_temporary_password_by_e_mail_leads_to_a_new_password);
async fn a_temporary_password_by_e_mail_leads_to_a_new_password(app: TestApp) {
    let member = verified_member(&app).await;
    app.post(
        "/api/v1/recovery/password",
        json!({"user_id": full_width("TAKAHASHI01"), "email": "Ichiro@Example.jp"}),
    )
    .send()
    .await
    .ok(202);
    let temporary = temporary_password_mailed(&app).await;

    // The current password keeps working until the temporary one is used.
    app.login("Takahashi01", STRONG).await.ok(200).step("menu");
    let answer = app.login("Takahashi01", &temporary).await;
    answer.ok(200).step("change_password");
    let change = answer.token();
    app.get("/api/v1/me")
        .bearer(&change)
        .send()
        .await
        .problem(403, "wrong_step");

    let answer = app
        .post(
            "/api/v1/account/password/change",
            json!({"new_password": STRONG, "new_password_confirmation": STRONG}),
        )
        .bearer(&change)
        .send()
        .await;
    answer
        .problem(422, "validation_failed")
        .has_field("new_password", "password_equals_current");

    let answer = app
        .post(
            "/api/v1/account/password/change",
            json!({"new_password": "Momiji2027y", "new_password_confirmation": "Momiji2027y"}),
        )
        .bearer(&change)
        .send()
        .await;
    answer.ok(200).step("menu");
    let fresh = answer.token();
    app.get("/api/v1/me").bearer(&fresh).send().await.ok(200);
    for old in [&member, &change] {
        app.get("/api/v1/me")
            .bearer(old)
            .send()
            .await
            .problem(401, "session_revoked");
    }
    app.login("Takahashi01", &temporary)
        .await
        .problem(401, "invalid_credentials");
    app.login("Takahashi01", STRONG)
        .await
        .problem(401, "invalid_credentials");
    app.login("Takahashi01", "Momiji2027y")
        .await
        .ok(200)
        .step("menu");
    assert!(
        app.mails_to(EMAIL)
            .iter()
            .any(|m| m.kind == "password_changed"),
        "[{}] a notice e-mail",
        app.backend
    );
}

each_backend!(an_e_mailed_temporary_password_expires_after_a_day);
async fn an_e_mailed_temporary_password_expires_after_a_day(app: TestApp) {
    verified_member(&app).await;
    app.post(
        "/api/v1/recovery/password",
        json!({"user_id": "Takahashi01", "email": EMAIL}),
    )
    .send()
    .await
    .ok(202);
    let temporary = temporary_password_mailed(&app).await;
    app.advance(Duration::hours(24) + Duration::seconds(1));
    app.login("Takahashi01", &temporary)
        .await
        .problem(403, "credentials_expired");
    app.login("Takahashi01", STRONG).await.ok(200).step("menu");
}
