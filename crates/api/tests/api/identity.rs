//! The identity check: every bad field at once, mismatches that count, outdated terms.

use serde_json::json;

use crate::helpers::{TestApp, each_backend, full_width};

each_backend!(every_bad_field_is_named_at_once_and_does_not_count);
async fn every_bad_field_is_named_at_once_and_does_not_count(app: TestApp) {
    let (_, token) = app.at_identity("1-1-00").await;
    let answer = app
        .post(
            "/api/v1/onboarding/identity",
            json!({"insurer_number": "0612-3456", "birth_date": "19790231",
                   "agree_to_terms": false, "terms_version": app.terms_version}),
        )
        .bearer(&token)
        .send()
        .await;
    answer
        .problem(422, "validation_failed")
        .has_field("insurer_number", "insurer_number_is_card_symbol")
        .has_field("birth_date", "birth_date_invalid")
        .has_field("agree_to_terms", "terms_not_agreed");
    let answer = app
        .post(
            "/api/v1/onboarding/identity",
            json!({"insurer_number": "06130091", "birth_date": "2099010",
                   "agree_to_terms": true, "terms_version": app.terms_version}),
        )
        .bearer(&token)
        .send()
        .await;
    answer
        .problem(422, "validation_failed")
        .has_field("insurer_number", "insurer_number_check_digit")
        .has_field("birth_date", "birth_date_format");
    assert_eq!(app.account("1-1-00").failed_attempts, 0, "{}", app.backend);
}

each_backend!(mismatches_count_toward_the_lockout);
async fn mismatches_count_toward_the_lockout(app: TestApp) {
    let (postcard, token) = app.at_identity("1-1-00").await;
    // A valid insurer number of another kenpo (check digit 6 for 0613999).
    let mut other = app.identity_body("1-1-00");
    other["insurer_number"] = json!("06139984");
    app.post("/api/v1/onboarding/identity", other)
        .bearer(&token)
        .send()
        .await
        .problem(401, "identity_mismatch");
    let mut wrong_birth = app.identity_body("1-1-00");
    wrong_birth["birth_date"] = json!("19790823");
    for _ in 0..3 {
        app.post("/api/v1/onboarding/identity", wrong_birth.clone())
            .bearer(&token)
            .send()
            .await
            .problem(401, "identity_mismatch");
    }
    // The fifth failure in a row locks, and is answered as the lock.
    app.post("/api/v1/onboarding/identity", wrong_birth.clone())
        .bearer(&token)
        .send()
        .await
        .problem(423, "account_locked");
    app.post("/api/v1/onboarding/identity", app.identity_body("1-1-00"))
        .bearer(&token)
        .send()
        .await
        .problem(423, "account_locked");
    app.login(&postcard.login_id, &postcard.password)
        .await
        .problem(423, "account_locked");
}

each_backend!(full_width_input_passes_and_stale_terms_are_refused);
async fn full_width_input_passes_and_stale_terms_are_refused(app: TestApp) {
    let (_, token) = app.at_identity("1-1-00").await;
    let mut stale = app.identity_body("1-1-00");
    stale["terms_version"] = json!("an-old-version");
    let answer = app
        .post("/api/v1/onboarding/identity", stale)
        .bearer(&token)
        .send()
        .await;
    answer.problem(409, "terms_outdated");
    assert_eq!(
        answer.body["version"],
        app.terms_version,
        "{}",
        answer.context()
    );

    let terms = app
        .get("/api/v1/onboarding/terms")
        .bearer(&token)
        .send()
        .await;
    terms.ok(200);
    assert_eq!(terms.body["version"], app.terms_version);

    let body = json!({
        "insurer_number": format!(" {} ", full_width("06130090")),
        "birth_date": full_width("19790822"),
        "agree_to_terms": true,
        "terms_version": app.terms_version,
    });
    app.post("/api/v1/onboarding/identity", body)
        .bearer(&token)
        .send()
        .await
        .ok(200)
        .step("register_credentials");
}

each_backend!(terms_published_during_the_check_must_be_read_again);
async fn terms_published_during_the_check_must_be_read_again(app: TestApp) {
    let (_, token) = app.at_identity("1-1-00").await;
    let own = madoguchi_persistence::terms::publish(
        &mut app.conn(),
        Some(&app.tenant.id),
        "利用規約（日本電気健康保険組合）",
        "第1条 …",
        app.clock_now(),
    )
    .unwrap();
    let answer = app
        .post("/api/v1/onboarding/identity", app.identity_body("1-1-00"))
        .bearer(&token)
        .send()
        .await;
    answer.problem(409, "terms_outdated");
    assert_eq!(answer.body["version"], own.version, "{}", answer.context());
    let mut agreed = app.identity_body("1-1-00");
    agreed["terms_version"] = json!(own.version);
    app.post("/api/v1/onboarding/identity", agreed)
        .bearer(&token)
        .send()
        .await
        .ok(200)
        .step("register_credentials");
}
