//! What an outside security review probed: secrets left in the outbox, a parallel burst
//! against the address throttle, cookie-only requests from another origin, the user-ID
//! existence oracle, and the headers every answer carries.

use std::os::unix::fs::PermissionsExt;

use chrono::Duration;
use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::{TestApp, credentials, each_backend};
use crate::request::{Answer, Call};

const STRONG: &str = "Sakura2026x";
const EMAIL: &str = "ichiro@example.jp";
/// The public URL of the test apps (`ApiConfig::public_url`).
const PORTAL: &str = "http://127.0.0.1:8080";

/// Every outbox row to `address`, as stored (no body read back from a delivered file).
fn stored_rows(app: &TestApp, address: &str) -> Vec<madoguchi_persistence::outbox::QueuedEmail> {
    madoguchi_persistence::outbox::to_recipient(&mut app.conn(), address).unwrap()
}

each_backend!(no_secret_rests_in_the_outbox_once_sent_and_sent_mail_goes_after_a_week);
async fn no_secret_rests_in_the_outbox_once_sent_and_sent_mail_goes_after_a_week(app: TestApp) {
    let b = app.backend;
    app.registered("1-1-00", "Takahashi01", STRONG).await;
    let link = crate::recovery::link_token(&app, EMAIL);
    assert!(
        stored_rows(&app, EMAIL)[0].body_text.contains(&link),
        "[{b}] the link waits in the outbox until it is sent"
    );
    app.post("/api/v1/email/verify", json!({ "token": link }))
        .send()
        .await
        .ok(200);
    app.post(
        "/api/v1/recovery/password",
        json!({"user_id": "Takahashi01", "email": EMAIL}),
    )
    .send()
    .await
    .ok(202);
    app.run_outbox().await;

    let rows = stored_rows(&app, EMAIL);
    assert_eq!(rows.len(), 2, "[{b}] confirmation and temporary password");
    for row in &rows {
        assert_eq!(
            (row.body_text.as_str(), row.body_html.as_deref()),
            ("", None),
            "[{b}] {} keeps no body once sent",
            row.kind
        );
        let file = app.delivered_file(&row.id);
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "[{b}] {}", file.display());
    }
    // What was delivered still works: the member signs in with the mailed password.
    let mailed = app
        .mails_to(EMAIL)
        .into_iter()
        .find(|m| m.kind == "password_reissue")
        .unwrap();
    let temporary = mailed
        .body_text
        .lines()
        .find_map(|l| l.strip_prefix("仮パスワード: "))
        .unwrap()
        .trim()
        .to_owned();
    assert!(
        !stored_rows(&app, EMAIL)
            .iter()
            .any(|r| r.body_text.contains(&temporary) || r.subject.contains(&temporary)),
        "[{b}]"
    );
    app.login("Takahashi01", &temporary)
        .await
        .ok(200)
        .step("change_password");
    app.run_outbox().await; // the login notice

    // A week later the housekeeping deletes the sent messages.
    app.advance(Duration::days(7) + Duration::hours(1));
    app.housekeeping().await;
    assert!(stored_rows(&app, EMAIL).is_empty(), "[{b}]");
}

/// A login with `login_id` and `password` from the client address `peer`.
async fn login_from(app: &TestApp, peer: &str, login_id: &str, password: &str) -> Answer {
    app.post(
        "/api/v1/auth/login",
        json!({"login_id": login_id, "password": password}),
    )
    .peer(peer)
    .send()
    .await
}

each_backend!(a_parallel_burst_from_one_address_gets_no_more_verifications_than_the_limit);
async fn a_parallel_burst_from_one_address_gets_no_more_verifications_than_the_limit(app: TestApp) {
    let ids: Vec<String> = (0..120).map(|i| format!("nobody{i}")).collect();
    let attempts = ids
        .iter()
        .map(|id| login_from(&app, "203.0.113.9", id, "Wrong12345"));
    let answers = join_all(attempts).await;
    let count = |status: u16| answers.iter().filter(|a| a.status == status).count();
    assert_eq!(
        (count(401), count(429)),
        (60, 60),
        "[{}] 120 at once, 60 allowed: {:?}",
        app.backend,
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
}

each_backend!(an_ipv6_client_counts_per_64);
async fn an_ipv6_client_counts_per_64(app: TestApp) {
    for i in 0..60 {
        login_from(
            &app,
            &format!("2001:db8:5:6::{:x}", i + 1),
            "nobody",
            "Wrong12345",
        )
        .await
        .problem(401, "invalid_credentials");
    }
    // Another address of the same /64 is the same client; the next /64 is another.
    login_from(
        &app,
        "2001:db8:5:6:ffff:ffff:ffff:1",
        "nobody",
        "Wrong12345",
    )
    .await
    .problem(429, "too_many_attempts");
    login_from(&app, "2001:db8:5:7::1", "nobody", "Wrong12345")
        .await
        .problem(401, "invalid_credentials");
}

each_backend!(a_right_password_gives_its_reserved_try_back);
async fn a_right_password_gives_its_reserved_try_back(app: TestApp) {
    app.registered("1-1-00", "Takahashi01", STRONG).await;
    // 59 failures, then successes: the successes never use up the allowance.
    for i in 0..59 {
        login_from(&app, "198.51.100.4", &format!("nobody{i}"), "Wrong12345")
            .await
            .problem(401, "invalid_credentials");
    }
    for _ in 0..3 {
        login_from(&app, "198.51.100.4", "takahashi01", STRONG)
            .await
            .ok(200);
    }
    login_from(&app, "198.51.100.4", "nobody", "Wrong12345")
        .await
        .problem(401, "invalid_credentials");
    login_from(&app, "198.51.100.4", "nobody", "Wrong12345")
        .await
        .problem(429, "too_many_attempts");
}

each_backend!(cookie_only_changes_must_come_from_the_portal_itself);
async fn cookie_only_changes_must_come_from_the_portal_itself(app: TestApp) {
    cookie_only_changes(&app).await;
}

async fn cookie_only_changes<'a>(app: &'a TestApp) {
    {
        let b = app.backend;
        let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
        let session = format!("madoguchi_session={token}");
        let cookie = |call: Call<'a>| -> Call<'a> { call.header("cookie", &session) };
        let notify = json!({"notify_on_update": false});

        for foreign in [
            "http://evil.example",
            "http://127.0.0.1:8080.evil.example",
            "null",
        ] {
            cookie(app.put_json("/api/v1/me/notifications", notify.clone()))
                .origin(foreign)
                .send()
                .await
                .problem(403, "cross_site_request");
        }
        cookie(app.post_empty("/api/v1/auth/logout"))
            .origin("http://evil.example")
            .send()
            .await
            .problem(403, "cross_site_request");
        // A sibling page of the same site (no Origin, Sec-Fetch-Site: same-site) or a client
        // that says nothing is refused as well.
        cookie(app.post_empty("/api/v1/auth/logout"))
            .header("sec-fetch-site", "same-site")
            .send()
            .await
            .problem(403, "cross_site_request");
        cookie(app.post_empty("/api/v1/auth/logout"))
            .send()
            .await
            .problem(403, "cross_site_request");
        // Nothing happened: the session lives and the flag is unchanged.
        let me = cookie(app.get("/api/v1/me"))
            .origin("http://evil.example")
            .send()
            .await;
        me.ok(200);
        assert_eq!(me.body["notify_on_update"], true, "[{b}] {}", me.context());

        // The portal's own pages: by Origin, or by Sec-Fetch-Site without one.
        cookie(app.put_json("/api/v1/me/notifications", notify.clone()))
            .origin(PORTAL)
            .send()
            .await
            .ok(200);
        cookie(app.put_json(
            "/api/v1/me/notifications",
            json!({"notify_on_update": true}),
        ))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .ok(200);
        // A page served under the host the request went to (the server's other name).
        cookie(app.put_json("/api/v1/me/notifications", notify.clone()))
            .header("host", "portal.internal:8080")
            .origin("http://portal.internal:8080")
            .send()
            .await
            .ok(200);
        // API clients with a bearer token are not browsers: no origin needed.
        app.put_json("/api/v1/me/notifications", notify)
            .bearer(&token)
            .origin("http://evil.example")
            .send()
            .await
            .ok(200);
        cookie(app.post_empty("/api/v1/auth/logout"))
            .origin(PORTAL)
            .send()
            .await
            .ok(204);
    }
}

each_backend!(taken_user_id_answers_are_limited_per_account);
async fn taken_user_id_answers_are_limited_per_account(app: TestApp) {
    app.registered("1-1-00", "Takahashi01", STRONG).await;
    let (_, token) = app.at_credentials("1-2-00").await;
    for _ in 0..20 {
        app.post(
            "/api/v1/onboarding/credentials/check",
            credentials("takahashi01", STRONG, "sato@example.jp"),
        )
        .bearer(&token)
        .send()
        .await
        .problem(422, "validation_failed");
    }
    let limited = app
        .post(
            "/api/v1/onboarding/credentials/check",
            credentials("takahashi01", STRONG, "sato@example.jp"),
        )
        .bearer(&token)
        .send()
        .await;
    limited.problem(429, "too_many_attempts");
    assert!(limited.retry_after() > 0, "{}", limited.context());
    // Past the limit no answer tells whether an ID is free either.
    app.post(
        "/api/v1/onboarding/credentials/check",
        credentials("Sato1985x", STRONG, "sato@example.jp"),
    )
    .bearer(&token)
    .send()
    .await
    .problem(429, "too_many_attempts");
    // Ten minutes later the member can go on.
    app.advance(Duration::minutes(10));
    app.post(
        "/api/v1/onboarding/credentials",
        credentials("Sato1985x", STRONG, "sato@example.jp"),
    )
    .bearer(&token)
    .send()
    .await
    .ok(201);
}

each_backend!(api_documents_may_not_be_framed);
async fn api_documents_may_not_be_framed(app: TestApp) {
    let docs = app.get("/api/docs/").send().await;
    docs.ok(200);
    let policy = docs.header("content-security-policy").unwrap_or_default();
    assert!(
        policy.contains("frame-ancestors 'none'"),
        "{}",
        docs.context()
    );
    let login = app.get("/login").send().await;
    assert_eq!(login.header("x-frame-options").as_deref(), Some("DENY"));
}
