//! Maintenance: the monthly window and operators' windows close every route but two.

use chrono::{Duration, TimeZone, Utc};

use crate::helpers::{TestApp, each_backend};

each_backend!(the_monthly_window_answers_503_with_retry_after);
async fn the_monthly_window_answers_503_with_retry_after(mut app: TestApp) {
    let postcard = app.provision("1-1-00");
    // 2026-12-25 is a Friday: the window is 21:00–24:00 JST that day.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 25, 12, 30, 0).unwrap());
    app.restart().await;
    let closed = app.login(&postcard.login_id, &postcard.password).await;
    closed.problem(503, "maintenance");
    assert_eq!(closed.retry_after(), 150 * 60, "{}", closed.context());
    app.get("/api/v1/health").send().await.ok(200);
    app.get("/api/v1/health/live").send().await.ok(200);
    let status = app.get("/api/v1/maintenance").send().await;
    status.ok(200);
    assert_eq!(status.body["active"], true, "{}", status.context());
    assert_eq!(
        status.body["current"]["ends_at"],
        "2026-12-26T00:00:00+09:00",
        "{}",
        status.context()
    );
    app.advance(Duration::minutes(150));
    app.restart().await;
    app.login(&postcard.login_id, &postcard.password)
        .await
        .ok(200);
}

each_backend!(an_operators_window_takes_effect);
async fn an_operators_window_takes_effect(mut app: TestApp) {
    let now = app.clock_now();
    madoguchi_persistence::maintenance::add(
        &mut app.conn(),
        now + Duration::minutes(5),
        now + Duration::minutes(65),
        "データベースの更新",
        "operator:test",
        now,
    )
    .unwrap();
    app.restart().await;
    let status = app.get("/api/v1/maintenance").send().await;
    assert_eq!(status.body["active"], false, "{}", status.context());
    assert!(
        status.body["next"]["starts_at"].is_string(),
        "{}",
        status.context()
    );
    app.advance(Duration::minutes(6));
    app.restart().await;
    app.get("/api/v1/terms")
        .send()
        .await
        .problem(503, "maintenance");
}

each_backend!(the_window_closes_and_opens_on_time_without_a_restart);
async fn the_window_closes_and_opens_on_time_without_a_restart(mut app: TestApp) {
    let postcard = app.provision("1-1-00");
    // Half a minute before the window of 2026-12-25 (a Friday), 21:00 JST.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 25, 11, 59, 30).unwrap());
    app.restart().await;
    // Open: the server now knows it stays open until 21:00, and must not keep that answer.
    app.get("/api/v1/terms").send().await.ok(200);
    app.advance(Duration::seconds(31));
    let closed = app.get("/api/v1/terms").send().await;
    closed.problem(503, "maintenance");
    assert_eq!(
        closed.retry_after(),
        3 * 60 * 60 - 1,
        "{}",
        closed.context()
    );
    // Back before the window (a clock set backwards): open again.
    app.advance(Duration::seconds(-2));
    app.get("/api/v1/terms").send().await.ok(200);
    // After the window (it ends at 24:00): open, and signing in works.
    app.advance(Duration::hours(3) + Duration::seconds(1));
    app.login(&postcard.login_id, &postcard.password)
        .await
        .ok(200);
}
