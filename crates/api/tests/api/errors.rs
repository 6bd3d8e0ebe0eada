//! Bad requests get a problem naming what is wrong: never a 500, a framework page or text.

use crate::helpers::{TestApp, each_backend};

each_backend!(bodies_that_cannot_be_read_are_named);
async fn bodies_that_cannot_be_read_are_named(app: TestApp) {
    app.post_empty("/api/v1/auth/login")
        .raw("text/plain", "login_id=x")
        .send()
        .await
        .problem(415, "unsupported_media_type");
    app.post_empty("/api/v1/auth/login")
        .raw("application/json", "{\"login_id\": ")
        .send()
        .await
        .problem(400, "malformed_body");
    let big = format!(
        "{{\"login_id\":\"{}\",\"password\":\"x\"}}",
        "1".repeat(20_000)
    );
    app.post_empty("/api/v1/auth/login")
        .raw("application/json", big)
        .send()
        .await
        .problem(413, "body_too_large");
    app.post(
        "/api/v1/auth/login",
        serde_json::json!({"login_id": "a", "password": "b", "remember": true}),
    )
    .send()
    .await
    .problem(422, "validation_failed")
    .has_field("remember", "unknown_field");
    app.post("/api/v1/auth/login", serde_json::json!({"login_id": 5}))
        .send()
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/nothing-here")
        .send()
        .await
        .problem(404, "not_found");
}
