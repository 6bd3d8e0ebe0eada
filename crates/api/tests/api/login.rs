//! Login: the same answer for every wrong guess, the lockout, expiry and suspension.

use chrono::Duration;
use madoguchi_persistence::accounts;

use crate::helpers::{TestApp, each_backend, full_width};

const STRONG: &str = "Sakura2026x";

each_backend!(unknown_ids_and_wrong_passwords_get_one_answer);
async fn unknown_ids_and_wrong_passwords_get_one_answer(app: TestApp) {
    let postcard = app.provision("1-1-00");
    let unknown = app.login("9999999999999", "Abcdefgh23").await;
    unknown.problem(401, "invalid_credentials");
    let wrong = app.login(&postcard.login_id, "Abcdefgh23").await;
    wrong.problem(401, "invalid_credentials");
    assert_eq!(
        unknown.body, wrong.body,
        "[{}] one body for both",
        app.backend
    );
    assert_eq!(app.account("1-1-00").failed_attempts, 1, "{}", app.backend);

    let english = app
        .post(
            "/api/v1/auth/login",
            serde_json::json!({"login_id": "nobody", "password": "x"}),
        )
        .english()
        .send()
        .await;
    english.problem(401, "invalid_credentials");
    assert!(english.detail().is_ascii(), "{}", english.context());
    assert!(!unknown.detail().is_ascii(), "Japanese by default");
}

each_backend!(full_width_postcard_and_case_insensitive_user_id_log_in);
async fn full_width_postcard_and_case_insensitive_user_id_log_in(app: TestApp) {
    let postcard = app.provision("1-1-00");
    app.login(
        &full_width(&postcard.login_id),
        &full_width(&postcard.password),
    )
    .await
    .ok(200)
    .step("verify_identity");
    app.registered("1-2-00", "Sato1985", STRONG).await;
    app.login(&format!("  {}  ", full_width("SATO1985")), STRONG)
        .await
        .ok(200)
        .step("menu");
}

each_backend!(five_failures_lock_the_account_for_thirty_minutes);
async fn five_failures_lock_the_account_for_thirty_minutes(app: TestApp) {
    app.registered("1-1-00", "Takahashi01", STRONG).await;
    for _ in 0..5 {
        app.login("Takahashi01", "Wrong12345")
            .await
            .problem(401, "invalid_credentials");
    }
    // Locked: even the right password is refused, without hashing it.
    let locked = app.login("Takahashi01", STRONG).await;
    locked.problem(423, "account_locked");
    let wait = locked.retry_after();
    assert!((1..=1800).contains(&wait), "{}", locked.context());
    let account = app.account("1-1-00");
    assert!(account.locked_until.is_some(), "{}", app.backend);

    // A notice e-mail tells the member.
    let pending = madoguchi_persistence::outbox::pending_count(&mut app.conn()).unwrap();
    assert!(
        pending >= 2,
        "[{}] confirmation and lock notice",
        app.backend
    );

    app.advance(Duration::minutes(30) + Duration::seconds(1));
    app.login("Takahashi01", STRONG).await.ok(200).step("menu");
    assert_eq!(app.account("1-1-00").failed_attempts, 0, "{}", app.backend);
}

each_backend!(a_parallel_burst_gets_no_more_than_five_guesses);
async fn a_parallel_burst_gets_no_more_than_five_guesses(app: TestApp) {
    let postcard = app.provision("1-1-00");
    let passwords: Vec<String> = (0..12).map(|i| format!("Guess{i:05}")).collect();
    let guesses: Vec<_> = passwords
        .iter()
        .map(|p| app.login(&postcard.login_id, p))
        .collect();
    let answers = futures_util::future::join_all(guesses).await;
    let wrong = answers.iter().filter(|a| a.status == 401).count();
    let locked = answers.iter().filter(|a| a.status == 423).count();
    assert_eq!(wrong + locked, 12, "[{}] {answers:?}", app.backend);
    assert!(wrong <= 5, "[{}] {wrong} guesses were judged", app.backend);
    app.login(&postcard.login_id, &postcard.password)
        .await
        .problem(423, "account_locked");
}

each_backend!(an_expired_postcard_says_so_only_after_the_right_password);
async fn an_expired_postcard_says_so_only_after_the_right_password(app: TestApp) {
    let postcard = app.provision("1-1-00");
    app.advance(Duration::days(91));
    app.login(&postcard.login_id, "Wrong12345")
        .await
        .problem(401, "invalid_credentials");
    app.login(&postcard.login_id, &postcard.password)
        .await
        .problem(403, "credentials_expired");
}

each_backend!(a_suspended_member_is_refused_and_loses_every_session);
async fn a_suspended_member_is_refused_and_loses_every_session(app: TestApp) {
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let member = app.member("1-1-00");
    accounts::suspend_member(&mut app.conn(), &member, app.clock_now()).unwrap();
    app.get("/api/v1/me")
        .bearer(&token)
        .send()
        .await
        .problem(401, "session_revoked");
    app.login("Takahashi01", "Wrong12345")
        .await
        .problem(401, "invalid_credentials");
    app.login("Takahashi01", STRONG)
        .await
        .problem(403, "account_suspended");
}

each_backend!(failures_from_one_address_are_throttled);
async fn failures_from_one_address_are_throttled(app: TestApp) {
    for i in 0..60 {
        app.post(
            "/api/v1/auth/login",
            serde_json::json!({"login_id": format!("nobody{i}"), "password": "Wrong12345"}),
        )
        .peer("203.0.113.7")
        .send()
        .await
        .problem(401, "invalid_credentials");
    }
    let throttled = app
        .post(
            "/api/v1/auth/login",
            serde_json::json!({"login_id": "nobody", "password": "Wrong12345"}),
        )
        .peer("203.0.113.7")
        .send()
        .await;
    throttled.problem(429, "too_many_attempts");
    assert!(throttled.retry_after() > 0);
    // X-Forwarded-For is believed only from a trusted proxy.
    app.post(
        "/api/v1/auth/login",
        serde_json::json!({"login_id": "nobody", "password": "Wrong12345"}),
    )
    .peer("203.0.113.7")
    .header("x-forwarded-for", "192.0.2.99")
    .send()
    .await
    .problem(429, "too_many_attempts");
    // Another address is not affected.
    app.post(
        "/api/v1/auth/login",
        serde_json::json!({"login_id": "nobody", "password": "Wrong12345"}),
    )
    .peer("198.51.100.20")
    .send()
    .await
    .problem(401, "invalid_credentials");
}
