//! Tokens: where they are accepted, and every way one is refused.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use serde_json::json;

use crate::helpers::{JWT_SECRET, TestApp, each_backend, sign_jwt};

const STRONG: &str = "Sakura2026x";

each_backend!(forged_expired_and_foreign_tokens_are_401);
async fn forged_expired_and_foreign_tokens_are_401(app: TestApp) {
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    app.get("/api/v1/me").bearer(&token).send().await.ok(200);

    app.get("/api/v1/me")
        .send()
        .await
        .problem(401, "unauthenticated");

    // alg=none with the same claims.
    let claims = token.split('.').nth(1).unwrap();
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{header}.{claims}.");
    app.get("/api/v1/me")
        .bearer(&unsigned)
        .send()
        .await
        .problem(401, "unauthenticated");

    // HS512 with the right secret is still another algorithm.
    let decoded: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    let hs512 = sign_jwt("HS512", &decoded, JWT_SECRET);
    app.get("/api/v1/me")
        .bearer(&hs512)
        .send()
        .await
        .problem(401, "unauthenticated");

    // One changed character of the claims breaks the signature.
    let mut tampered = decoded.clone();
    tampered["sv"] = json!(decoded["sv"].as_i64().unwrap() + 1);
    let forged = format!(
        "{}.{}.{}",
        token.split('.').next().unwrap(),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&tampered).unwrap()),
        token.split('.').nth(2).unwrap()
    );
    app.get("/api/v1/me")
        .bearer(&forged)
        .send()
        .await
        .problem(401, "unauthenticated");

    // Signed by another deployment.
    let foreign = sign_jwt(
        "HS256",
        &decoded,
        b"another-deployment-secret-0123456789abcdef",
    );
    app.get("/api/v1/me")
        .bearer(&foreign)
        .send()
        .await
        .problem(401, "unauthenticated");

    // Re-signed with the right key, the same claims pass; with another issuer or audience,
    // or not valid yet, they do not.
    app.get("/api/v1/me")
        .bearer(&sign_jwt("HS256", &decoded, JWT_SECRET))
        .send()
        .await
        .ok(200);
    for (claim, value) in [
        ("iss", json!("https://portal.other.example")),
        ("aud", json!("another-service")),
        ("nbf", json!(decoded["nbf"].as_i64().unwrap() + 3600)),
    ] {
        let mut changed = decoded.clone();
        changed[claim] = value;
        app.get("/api/v1/me")
            .bearer(&sign_jwt("HS256", &changed, JWT_SECRET))
            .send()
            .await
            .problem(401, "unauthenticated");
    }

    // 30 minutes later the token has expired.
    app.advance(Duration::minutes(31));
    app.get("/api/v1/me")
        .bearer(&token)
        .send()
        .await
        .problem(401, "token_expired");
}

each_backend!(a_token_of_another_step_names_the_step_to_do);
async fn a_token_of_another_step_names_the_step_to_do(app: TestApp) {
    let (_, identity_token) = app.at_identity("1-1-00").await;
    let answer = app
        .post(
            "/api/v1/onboarding/credentials",
            crate::helpers::credentials("Takahashi01", STRONG, "a@example.jp"),
        )
        .bearer(&identity_token)
        .send()
        .await;
    answer.problem(409, "wrong_step");
    assert_eq!(
        answer.body["next_step"],
        "verify_identity",
        "{}",
        answer.context()
    );

    let answer = app.get("/api/v1/me").bearer(&identity_token).send().await;
    answer.problem(403, "wrong_step");
    assert_eq!(
        answer.body["next_step"],
        "verify_identity",
        "{}",
        answer.context()
    );

    let member = app.registered("1-2-00", "Sato1985", STRONG).await;
    app.post("/api/v1/onboarding/identity", app.identity_body("1-2-00"))
        .bearer(&member)
        .send()
        .await
        .problem(409, "already_registered");
}

each_backend!(the_cookie_carries_the_session_and_the_header_wins);
async fn the_cookie_carries_the_session_and_the_header_wins(app: TestApp) {
    let (postcard, _) = app.at_identity("1-1-00").await;
    let answer = app.login(&postcard.login_id, &postcard.password).await;
    let cookie = answer.session_cookie();
    assert!(cookie.http_only().unwrap_or(false), "{}", answer.context());
    assert_eq!(cookie.path(), Some("/api"));
    assert_eq!(
        cookie.same_site(),
        Some(actix_web::cookie::SameSite::Strict)
    );
    assert_eq!(cookie.secure(), None, "no Secure flag in development");
    app.get("/api/v1/session")
        .cookie(cookie.value())
        .send()
        .await
        .ok(200)
        .step("verify_identity");

    let member = app.registered("1-2-00", "Sato1985", STRONG).await;
    // Header (member) and cookie (onboarding) together: the header decides.
    app.get("/api/v1/me")
        .bearer(&member)
        .cookie(cookie.value())
        .send()
        .await
        .ok(200);
}

each_backend!(production_cookies_are_secure, production);
async fn production_cookies_are_secure(app: TestApp) {
    let postcard = app.provision("1-1-00");
    let answer = app.login(&postcard.login_id, &postcard.password).await;
    answer.ok(200);
    assert_eq!(answer.session_cookie().secure(), Some(true));
    assert!(
        answer.header("strict-transport-security").is_some(),
        "{}",
        answer.context()
    );
}

each_backend!(logout_revokes_every_token_of_the_account);
async fn logout_revokes_every_token_of_the_account(app: TestApp) {
    let first = app.registered("1-1-00", "Takahashi01", STRONG).await;
    let second = app.login("takahashi01", STRONG).await;
    second.ok(200).step("menu");
    let second = second.token();

    let answer = app
        .post_empty("/api/v1/auth/logout")
        .bearer(&first)
        .send()
        .await;
    answer.ok(204);
    let removal = answer.session_cookie();
    assert_eq!(removal.value(), "", "the cookie is emptied");

    for token in [&first, &second] {
        app.get("/api/v1/me")
            .bearer(token)
            .send()
            .await
            .problem(401, "session_revoked");
    }
    // A new login works.
    let again = app.login("Takahashi01", STRONG).await;
    app.get("/api/v1/me")
        .bearer(&again.token())
        .send()
        .await
        .ok(200);
}
