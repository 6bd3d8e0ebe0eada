//! Two-step login (DESIGN §9) as a member meets it: enrolling an authenticator app, signing in
//! with its codes, e-mailed codes and recovery codes, the lockout, the kenpo's `required`
//! policy, remembered browsers, the recovery e-mail of an app member, the login history and
//! the login notice.

use chrono::Duration;
use madoguchi_domain::two_step::{TotpSecret, TwoStepPolicy};
use madoguchi_persistence::tenants::{self, SettingsChange};
use serde_json::{Value, json};

use crate::helpers::{TestApp, credentials, each_backend};
use crate::request::Answer;

const STRONG: &str = "Sakura2026x";
const EMAIL: &str = "ichiro@example.jp";
const USER: &str = "Takahashi01";

/// A registered member of 1-1-00 whose address is verified: the member token.
async fn verified_member(app: &TestApp) -> String {
    let token = app.registered("1-1-00", USER, STRONG).await;
    let link = crate::recovery::link_token(app, EMAIL);
    app.post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await
        .ok(200);
    token
}

/// An app enrolled and confirmed: its secret and the recovery codes.
async fn enrolled(app: &TestApp, token: &str) -> (TotpSecret, Vec<String>) {
    let b = app.backend;
    let begun = app
        .post("/api/v1/me/totp", json!({ "current_password": STRONG }))
        .bearer(token)
        .send()
        .await;
    begun.ok(200);
    let secret = TotpSecret::from_base32(begun.body["secret"].as_str().unwrap()).unwrap();
    assert!(
        begun.body["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/"),
        "[{b}]"
    );
    assert!(
        begun.body["qr_svg"].as_str().unwrap().contains("<svg"),
        "[{b}]"
    );
    app.post("/api/v1/me/totp/confirm", json!({ "code": "000000" }))
        .bearer(token)
        .send()
        .await;
    let code = secret.code_at(app.clock_now());
    let confirmed = app
        .post("/api/v1/me/totp/confirm", json!({ "code": code }))
        .bearer(token)
        .send()
        .await;
    confirmed.ok(200);
    let codes: Vec<String> = confirmed.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "[{b}]");
    (secret, codes)
}

async fn second_factor(app: &TestApp, token: &str, body: Value) -> Answer {
    app.post("/api/v1/auth/second-factor", body)
        .bearer(token)
        .send()
        .await
}

fn methods(answer: &Answer) -> Vec<String> {
    answer.body["second_factor_methods"]
        .as_array()
        .unwrap_or_else(|| panic!("no methods: {}", answer.context()))
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect()
}

fn set_policy(app: &TestApp, policy: TwoStepPolicy) {
    let change = SettingsChange {
        two_step: Some(policy),
        ..Default::default()
    };
    tenants::update_settings(&mut app.conn(), &app.tenant.id, change, app.clock_now()).unwrap();
}

each_backend!(an_enrolled_app_is_asked_at_sign_in_and_a_code_works_once);
async fn an_enrolled_app_is_asked_at_sign_in_and_a_code_works_once(app: TestApp) {
    let b = app.backend;
    let member = verified_member(&app).await;
    let (secret, recovery) = enrolled(&app, &member).await;
    let security = app.get("/api/v1/me/security").bearer(&member).send().await;
    security.ok(200);
    assert_eq!(security.body["totp_enabled"], true, "[{b}]");
    assert_eq!(security.body["recovery_codes_left"], 10, "[{b}]");

    let login = app.login(USER, STRONG).await;
    login.ok(200).step("second_factor");
    assert_eq!(methods(&login), ["totp", "recovery_code"], "[{b}]");
    assert!(login.body["expires_in"].as_i64().unwrap() <= 300, "[{b}]");
    let pending = login.token();
    let resumed = app.get("/api/v1/session").bearer(&pending).send().await;
    resumed.ok(200).step("second_factor");
    assert_eq!(
        methods(&resumed),
        ["totp", "recovery_code"],
        "[{b}] after a reload"
    );
    // The second-factor token opens nothing else.
    app.get("/api/v1/me")
        .bearer(&pending)
        .send()
        .await
        .problem(403, "wrong_step");
    // The member token is not a second-factor token.
    second_factor(&app, &member, json!({"method": "totp", "code": "123456"}))
        .await
        .problem(409, "wrong_step");
    // The code of the step that confirmed the app is used: a replay.
    let used = secret.code_at(app.clock_now());
    second_factor(&app, &pending, json!({"method": "totp", "code": used}))
        .await
        .problem(401, "invalid_code");
    app.advance(Duration::seconds(30));
    let code = secret.code_at(app.clock_now());
    let passed = second_factor(&app, &pending, json!({"method": "totp", "code": code})).await;
    passed.ok(200).step("menu");
    app.get("/api/v1/me")
        .bearer(&passed.token())
        .send()
        .await
        .ok(200);
    // The same code again, on a new sign-in: refused.
    let again = app.login(USER, STRONG).await.token();
    second_factor(&app, &again, json!({"method": "totp", "code": code}))
        .await
        .problem(401, "invalid_code");
    // A malformed code is the field's problem and costs no try.
    second_factor(&app, &again, json!({"method": "totp", "code": "12"}))
        .await
        .problem(422, "validation_failed")
        .has_field("code", "code_format");
    second_factor(
        &app,
        &again,
        json!({"method": "email_code", "code": "123456"}),
    )
    .await
    .problem(422, "validation_failed")
    .has_field("method", "method_not_offered");

    // A recovery code (lower case, no hyphen) works once.
    let typed = recovery[0].replace('-', "").to_lowercase();
    second_factor(
        &app,
        &again,
        json!({"method": "recovery_code", "code": typed}),
    )
    .await
    .ok(200)
    .step("menu");
    let third = app.login(USER, STRONG).await.token();
    second_factor(
        &app,
        &third,
        json!({"method": "recovery_code", "code": recovery[0]}),
    )
    .await
    .problem(401, "invalid_code");
    let left = app.get("/api/v1/me/security").bearer(&member).send().await;
    assert_eq!(left.body["recovery_codes_left"], 9, "[{b}]");

    // New codes replace the old ones.
    let renewed = app
        .post(
            "/api/v1/me/recovery-codes",
            json!({ "current_password": STRONG }),
        )
        .bearer(&member)
        .send()
        .await;
    renewed.ok(200);
    second_factor(
        &app,
        &third,
        json!({"method": "recovery_code", "code": recovery[1]}),
    )
    .await
    .problem(401, "invalid_code");
    let fresh = renewed.body["recovery_codes"][0].as_str().unwrap();
    second_factor(
        &app,
        &third,
        json!({"method": "recovery_code", "code": fresh}),
    )
    .await
    .ok(200);

    // Removing the app: the password alone signs in again.
    app.post(
        "/api/v1/me/totp/disable",
        json!({ "current_password": "Wrong2026x" }),
    )
    .bearer(&member)
    .send()
    .await
    .problem(401, "invalid_credentials");
    app.post(
        "/api/v1/me/totp/disable",
        json!({ "current_password": STRONG }),
    )
    .bearer(&member)
    .send()
    .await
    .ok(204);
    app.login(USER, STRONG).await.ok(200).step("menu");
    let kinds: Vec<String> = app.mails_to(EMAIL).into_iter().map(|m| m.kind).collect();
    for kind in ["totp_added", "recovery_codes_renewed", "totp_removed"] {
        assert!(kinds.iter().any(|k| k == kind), "[{b}] {kind} in {kinds:?}");
    }
}

each_backend!(two_requests_racing_with_one_code_sign_in_once);
async fn two_requests_racing_with_one_code_sign_in_once(app: TestApp) {
    let member = verified_member(&app).await;
    let (secret, _) = enrolled(&app, &member).await;
    app.advance(Duration::seconds(30));
    let (first, second) = (
        app.login(USER, STRONG).await.token(),
        app.login(USER, STRONG).await.token(),
    );
    let code = secret.code_at(app.clock_now());
    let body = json!({"method": "totp", "code": code});
    let answers = futures_util::future::join_all([
        second_factor(&app, &first, body.clone()),
        second_factor(&app, &second, body),
    ])
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [200, 401],
        "[{}] one sign-in per code",
        app.backend
    );
}

each_backend!(wrong_codes_lock_the_account_like_wrong_passwords);
async fn wrong_codes_lock_the_account_like_wrong_passwords(app: TestApp) {
    let member = verified_member(&app).await;
    enrolled(&app, &member).await;
    let pending = app.login(USER, STRONG).await.token();
    for _ in 0..4 {
        second_factor(&app, &pending, json!({"method": "totp", "code": "000000"}))
            .await
            .problem(401, "invalid_code");
    }
    // The right password again does not wipe the wrong codes' count.
    let again = app.login(USER, STRONG).await;
    again.ok(200).step("second_factor");
    second_factor(
        &app,
        &again.token(),
        json!({"method": "totp", "code": "000000"}),
    )
    .await
    .problem(423, "account_locked");
    for _ in 0..3 {
        app.login(USER, STRONG).await.problem(423, "account_locked");
    }
    let history = app.get("/api/v1/me/logins").bearer(&member).send().await;
    history.ok(423);
    // The history shows the lock once, however often it was knocked on.
    let id = app.account("1-1-00").id;
    let recent = madoguchi_persistence::two_step::history::recent(&mut app.conn(), &id).unwrap();
    let outcomes: Vec<&str> = recent[..6].iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(
        outcomes,
        [
            "locked",
            "wrong_code",
            "wrong_code",
            "wrong_code",
            "wrong_code",
            "wrong_code"
        ],
        "[{}]",
        app.backend
    );
}

each_backend!(the_required_policy_mails_codes_or_refuses_without_a_verified_address);
async fn the_required_policy_mails_codes_or_refuses_without_a_verified_address(app: TestApp) {
    let b = app.backend;
    verified_member(&app).await;
    // 1-2-00 registers an address but never verifies it.
    let (_, token) = app.at_credentials("1-2-00").await;
    app.post(
        "/api/v1/onboarding/credentials",
        credentials("Hanako2026", STRONG, "hanako@example.jp"),
    )
    .bearer(&token)
    .send()
    .await
    .ok(201);
    set_policy(&app, TwoStepPolicy::Required);

    let refused = app.login("Hanako2026", STRONG).await;
    refused.problem(403, "second_factor_unavailable");

    let login = app.login(USER, STRONG).await;
    login.ok(200).step("second_factor");
    assert_eq!(methods(&login), ["email_code"], "[{b}]");
    let pending = login.token();
    app.post_empty("/api/v1/auth/second-factor/email-code")
        .bearer(&pending)
        .send()
        .await
        .ok(202);
    let mailed = app
        .mails_to(EMAIL)
        .into_iter()
        .rev()
        .find(|m| m.kind == "second_factor_code")
        .unwrap();
    let code = mailed
        .body_text
        .lines()
        .find_map(|l| l.strip_prefix("確認コード: "))
        .unwrap()
        .trim()
        .to_owned();
    let passed = second_factor(
        &app,
        &pending,
        json!({"method": "email_code", "code": code}),
    )
    .await;
    passed.ok(200).step("menu");
    // Used once.
    let again = app.login(USER, STRONG).await.token();
    second_factor(&app, &again, json!({"method": "email_code", "code": code}))
        .await
        .problem(401, "invalid_code");
    // Five codes an hour.
    for _ in 0..4 {
        app.post_empty("/api/v1/auth/second-factor/email-code")
            .bearer(&again)
            .send()
            .await
            .ok(202);
    }
    app.post_empty("/api/v1/auth/second-factor/email-code")
        .bearer(&again)
        .send()
        .await
        .problem(429, "too_many_attempts");
}

each_backend!(a_remembered_browser_skips_the_code_until_the_password_changes);
async fn a_remembered_browser_skips_the_code_until_the_password_changes(app: TestApp) {
    let b = app.backend;
    let member = verified_member(&app).await;
    let (secret, _) = enrolled(&app, &member).await;
    app.advance(Duration::seconds(30));
    let pending = app.login(USER, STRONG).await.token();
    let code = secret.code_at(app.clock_now());
    let passed = second_factor(
        &app,
        &pending,
        json!({"method": "totp", "code": code, "remember_device": true}),
    )
    .await;
    passed.ok(200).step("menu");
    let device = passed
        .cookie_value("madoguchi_device")
        .expect("device cookie");
    let set = passed.header("set-cookie").unwrap_or_default();
    assert!(set.contains("madoguchi"), "[{b}]");
    let notices = |app: &TestApp| {
        app.mails_to(EMAIL)
            .iter()
            .filter(|m| m.kind == "login_notice")
            .count()
    };
    let before = notices(&app);
    let skipped = app
        .post(
            "/api/v1/auth/login",
            json!({"login_id": USER, "password": STRONG}),
        )
        .header("cookie", &format!("madoguchi_device={device}"))
        .send()
        .await;
    skipped.ok(200).step("menu");
    assert_eq!(
        notices(&app),
        before,
        "[{b}] no notice from a remembered browser"
    );
    let security = app.get("/api/v1/me/security").bearer(&member).send().await;
    assert_eq!(
        security.body["remembered_devices"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "[{b}]"
    );
    // A password change forgets every remembered browser.
    let changed = app
        .post(
            "/api/v1/account/password/change",
            json!({"current_password": STRONG, "new_password": "Momiji2027y", "new_password_confirmation": "Momiji2027y"}),
        )
        .bearer(&skipped.token())
        .send()
        .await;
    changed.ok(200);
    app.post(
        "/api/v1/auth/login",
        json!({"login_id": USER, "password": "Momiji2027y"}),
    )
    .header("cookie", &format!("madoguchi_device={device}"))
    .send()
    .await
    .ok(200)
    .step("second_factor");
}

each_backend!(a_recovery_password_of_an_app_member_asks_the_app_then_the_new_password);
async fn a_recovery_password_of_an_app_member_asks_the_app_then_the_new_password(app: TestApp) {
    let b = app.backend;
    let member = verified_member(&app).await;
    let (secret, _) = enrolled(&app, &member).await;
    // A browser remembered before the recovery…
    app.advance(Duration::seconds(30));
    let pending = app.login(USER, STRONG).await.token();
    let code = secret.code_at(app.clock_now());
    second_factor(
        &app,
        &pending,
        json!({"method": "totp", "code": code, "remember_device": true}),
    )
    .await
    .ok(200);
    app.post(
        "/api/v1/recovery/password",
        json!({"user_id": USER, "email": EMAIL}),
    )
    .send()
    .await
    .ok(202);
    app.run_outbox().await;
    let temporary = app
        .mails_to(EMAIL)
        .into_iter()
        .find(|m| m.kind == "password_reissue")
        .unwrap()
        .body_text
        .lines()
        .find_map(|l| {
            l.strip_prefix("仮パスワード: ")
                .map(|p| p.trim().to_owned())
        })
        .unwrap();
    let login = app.login(USER, &temporary).await;
    login.ok(200).step("second_factor");
    assert_eq!(
        methods(&login),
        ["totp", "recovery_code"],
        "[{b}] never the mailbox"
    );
    let pending = login.token();
    app.post_empty("/api/v1/auth/second-factor/email-code")
        .bearer(&pending)
        .send()
        .await
        .problem(422, "validation_failed");
    app.post(
        "/api/v1/account/password/change",
        json!({"new_password": "Momiji2027y", "new_password_confirmation": "Momiji2027y"}),
    )
    .bearer(&pending)
    .send()
    .await
    .problem(409, "wrong_step");
    app.advance(Duration::seconds(30));
    let code = secret.code_at(app.clock_now());
    let passed = second_factor(&app, &pending, json!({"method": "totp", "code": code})).await;
    passed.ok(200).step("change_password");
    app.post(
        "/api/v1/account/password/change",
        json!({"new_password": "Momiji2027y", "new_password_confirmation": "Momiji2027y"}),
    )
    .bearer(&passed.token())
    .send()
    .await
    .ok(200)
    .step("menu");
}

each_backend!(the_history_shows_outcomes_and_the_notice_follows_the_setting);
async fn the_history_shows_outcomes_and_the_notice_follows_the_setting(app: TestApp) {
    let b = app.backend;
    verified_member(&app).await;
    app.login(USER, "Wrong2026x")
        .await
        .problem(401, "invalid_credentials");
    let member = app.login(USER, STRONG).await;
    member.ok(200).step("menu");
    let member = member.token();
    let history = app.get("/api/v1/me/logins").bearer(&member).send().await;
    history.ok(200);
    let rows = history.body.as_array().unwrap();
    let outcomes: Vec<&str> = rows
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        ["success", "wrong_password"],
        "[{b}] newest first"
    );
    assert_eq!(rows[0]["method"], "password", "[{b}]");
    assert!(rows[0]["at"].as_str().unwrap().ends_with("+09:00"), "[{b}]");
    let notices = |app: &TestApp| -> Vec<String> {
        app.mails_to(EMAIL)
            .into_iter()
            .filter(|m| m.kind == "login_notice")
            .map(|m| m.body_text)
            .collect()
    };
    let sent = notices(&app);
    assert_eq!(sent.len(), 1, "[{b}]");
    assert!(sent[0].contains("日本時間"), "[{b}] {}", sent[0]);
    let me = app
        .put_json(
            "/api/v1/me/notifications",
            json!({"notify_on_login": false}),
        )
        .bearer(&member)
        .send()
        .await;
    me.ok(200);
    assert_eq!(me.body["notify_on_login"], false, "[{b}]");
    assert_eq!(me.body["notify_on_update"], true, "[{b}] kept");
    app.login(USER, STRONG).await.ok(200);
    assert_eq!(notices(&app).len(), 1, "[{b}] no notice once turned off");
}

each_backend!(enrolment_is_refused_when_the_kenpo_turned_it_off);
async fn enrolment_is_refused_when_the_kenpo_turned_it_off(app: TestApp) {
    let member = verified_member(&app).await;
    set_policy(&app, TwoStepPolicy::Off);
    app.post("/api/v1/me/totp", json!({ "current_password": STRONG }))
        .bearer(&member)
        .send()
        .await
        .problem(403, "two_step_off");
    app.post("/api/v1/me/totp/confirm", json!({ "code": "123456" }))
        .bearer(&member)
        .send()
        .await
        .problem(409, "totp_not_pending");
    app.delete("/api/v1/me/devices/nope")
        .bearer(&member)
        .send()
        .await
        .problem(404, "device_not_found");
}
