//! Registration: the check writes nothing; the commit happens once, even when raced.

use serde_json::Value;

use crate::helpers::{Answer, TestApp, credentials, each_backend};

const STRONG: &str = "Sakura2026x";

each_backend!(the_check_names_every_bad_field_and_writes_nothing);
async fn the_check_names_every_bad_field_and_writes_nothing(app: TestApp) {
    app.registered("1-2-00", "Sato1985", STRONG).await;
    let (postcard, token) = app.at_credentials("1-1-00").await;
    let body = serde_json::json!({
        "user_id": "SATO1985",
        "password": postcard.password,
        "password_confirmation": "something-else",
        "email": "ichiro@",
        "notify_on_update": true,
    });
    let answer = app
        .post("/api/v1/onboarding/credentials/check", body)
        .bearer(&token)
        .send()
        .await;
    answer
        .problem(422, "validation_failed")
        .has_field("user_id", "user_id_taken")
        .has_field("email", "email_invalid")
        .has_field("password_confirmation", "password_confirmation_mismatch");

    let good = credentials("Takahashi01", STRONG, "ichiro@Example.JP");
    let answer = app
        .post("/api/v1/onboarding/credentials/check", good)
        .bearer(&token)
        .send()
        .await;
    answer.ok(200);
    assert_eq!(
        answer.body["email"],
        "ichiro@example.jp",
        "{}",
        answer.context()
    );
    let account = app.account("1-1-00");
    assert_eq!(
        account.user_id, None,
        "[{}] the check wrote nothing",
        app.backend
    );
    assert_eq!(
        madoguchi_persistence::outbox::pending_count(&mut app.conn()).unwrap(),
        1,
        "[{}] only the first member's confirmation",
        app.backend
    );
}

each_backend!(the_password_rules_hold_at_registration);
async fn the_password_rules_hold_at_registration(app: TestApp) {
    let (postcard, token) = app.at_credentials("1-1-00").await;
    // The temporary ID is 13 digits, which a user ID may never be: "equal to the
    // temporary ID" is refused by the length rule.
    let cases: [(&str, &str, &str, &str); 10] = [
        ("Takahashi01", "Kiku7", "password", "password_length"),
        ("Takahashi01", "password1", "password", "password_common"),
        (
            "Takahashi01",
            "onlyletters",
            "password",
            "password_needs_letter_and_digit",
        ),
        (
            "Takahashi01",
            "Sakura 2026",
            "password",
            "password_characters",
        ),
        (
            "Takahashi01",
            "TAKAHASHI01",
            "password",
            "password_equals_user_id",
        ),
        (
            "Takahashi01",
            &postcard.password,
            "password",
            "password_equals_temporary",
        ),
        ("1234567890123", STRONG, "user_id", "user_id_length"),
        (
            &postcard.login_id,
            STRONG,
            "user_id",
            "user_id_equals_temporary",
        ),
        ("Taka-hashi", STRONG, "user_id", "user_id_characters"),
        ("Taka", STRONG, "user_id", "user_id_length"),
    ];
    for (user_id, password, field, code) in cases {
        app.post(
            "/api/v1/onboarding/credentials/check",
            credentials(user_id, password, "ichiro@example.jp"),
        )
        .bearer(&token)
        .send()
        .await
        .problem(422, "validation_failed")
        .has_field(field, code);
    }
}

/// Two commits sent at once: exactly one registers (201); returns the other answer (409).
async fn commit_race(app: &TestApp, first: (&str, Value), second: (&str, Value)) -> Answer {
    let (a, b) = futures_util::future::join(
        app.post("/api/v1/onboarding/credentials", first.1)
            .bearer(first.0)
            .send(),
        app.post("/api/v1/onboarding/credentials", second.1)
            .bearer(second.0)
            .send(),
    )
    .await;
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "[{}] {a:?} {b:?}", app.backend);
    if a.status == 409 { a } else { b }
}

each_backend!(two_registrations_racing_for_one_user_id_make_one_account);
async fn two_registrations_racing_for_one_user_id_make_one_account(app: TestApp) {
    let (_, first) = app.at_credentials("1-1-00").await;
    let (_, second) = app.at_credentials("1-2-00").await;
    let body = credentials("Contested1", STRONG, "a@example.jp");
    commit_race(&app, (&first, body.clone()), (&second, body))
        .await
        .problem(409, "user_id_taken");
}

each_backend!(one_token_committed_twice_at_once_registers_once);
async fn one_token_committed_twice_at_once_registers_once(app: TestApp) {
    let (postcard, token) = app.at_credentials("1-1-00").await;
    commit_race(
        &app,
        (&token, credentials("Takahashi01", STRONG, "a@example.jp")),
        (&token, credentials("Takahashi02", STRONG, "a@example.jp")),
    )
    .await
    .problem(409, "already_registered");
    // The postcard is retired for good.
    app.login(&postcard.login_id, &postcard.password)
        .await
        .problem(401, "invalid_credentials");
}

each_backend!(a_missing_field_and_a_broken_rule_are_reported_together);
async fn a_missing_field_and_a_broken_rule_are_reported_together(app: TestApp) {
    let (_, token) = app.at_credentials("1-1-00").await;
    let answer = app
        .post(
            "/api/v1/onboarding/credentials/check",
            serde_json::json!({"user_id": "ab", "password": "Sakura2026x",
                "password_confirmation": "Sakura2026x"}),
        )
        .bearer(&token)
        .send()
        .await;
    answer.problem(422, "validation_failed");
    let fields: Vec<(&str, &str)> = answer.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [("user_id", "user_id_length"), ("email", "required")],
        "{}",
        answer.context()
    );
    assert!(
        answer.body["errors"][1]["message"]
            .as_str()
            .unwrap()
            .contains("メールアドレス"),
        "the field is named: {}",
        answer.context()
    );
}
