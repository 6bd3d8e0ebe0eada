//! The database goes away and comes back (DESIGN §11): 503 `unavailable` with `Retry-After`,
//! never a 500; at once for the requests that follow; and service again without a restart.
//! On PostgreSQL, where a server can go away: the test database refuses new connections and
//! its sessions are ended, as when the server restarts.

use std::time::{Duration as StdDuration, Instant};

use diesel::{Connection, RunQueryDsl, pg::PgConnection};

use crate::helpers::{TestApp, each_backend};

const STRONG: &str = "Sakura2026x";

/// Closes (or opens again) the app's PostgreSQL database to connections.
fn outage(app: &TestApp, down: bool) {
    let admin_url = std::env::var(madoguchi_persistence::testing::POSTGRES_ENV).unwrap();
    let name = app
        .database_url()
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {}", !down))
        .execute(&mut admin)
        .unwrap();
    if down {
        diesel::sql_query(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ))
        .execute(&mut admin)
        .unwrap();
    }
}

each_backend!(a_database_that_goes_away_is_503_then_served_again_without_a_restart, only: postgres);
async fn a_database_that_goes_away_is_503_then_served_again_without_a_restart(app: TestApp) {
    let token = app.registered("1-1-00", "Takahashi01", STRONG).await;
    app.get("/api/v1/me").bearer(&token).send().await.ok(200);

    outage(&app, true);
    let first = app.get("/api/v1/me").bearer(&token).send().await;
    first.problem(503, "unavailable");
    assert!(first.retry_after() > 0, "{}", first.context());
    // The next ones are told at once, without waiting for the pool again.
    let started = Instant::now();
    let login = app.login("takahashi01", STRONG).await;
    login.problem(503, "unavailable");
    let health = app.get("/api/v1/health").send().await;
    assert_eq!(
        (health.status, health.body["status"].as_str()),
        (503, Some("unavailable")),
        "{}",
        health.context()
    );
    // Alive all the same: the process needs no restart.
    let live = app.get("/api/v1/health/live").send().await;
    assert_eq!(
        (live.status, live.body["status"].as_str()),
        (200, Some("ok")),
        "{}",
        live.context()
    );
    assert!(
        started.elapsed() < StdDuration::from_secs(30),
        "bounded wait, not a timing assertion"
    );

    outage(&app, false);
    // Wait on the condition: the same app serves again once the database answers.
    let deadline = Instant::now() + StdDuration::from_secs(30);
    loop {
        let me = app.get("/api/v1/me").bearer(&token).send().await;
        if me.status == 200 {
            break;
        }
        me.problem(503, "unavailable");
        assert!(Instant::now() < deadline, "still 503 after 30 s");
        actix_web::rt::time::sleep(StdDuration::from_millis(200)).await;
    }
    app.login("takahashi01", STRONG).await.ok(200);
}
