//! Prometheus metrics (DESIGN §11), served at `/metrics` on a listener of their own
//! (`MADOGUCHI_METRICS_BIND`), never on the public one: requests by method, route template and
//! status with their durations, sign-ins by outcome, the hashing queue and hash times, and at
//! each scrape the outbox (pending, oldest) and the pool (connections in use). Routes are
//! their templates (`/api/v1/me`), never raw paths, so a scanner cannot grow the label set.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

/// Buckets of the request and hash durations, in seconds.
const SECONDS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// Whether a recorder is installed: without one, requests skip building their labels.
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Whether metrics are being recorded.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Makes the Prometheus recorder this process's; `None` when one was installed already.
pub fn install() -> Option<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets(&SECONDS)
        .ok()?
        .install_recorder()
        .ok()?;
    ENABLED.store(true, Ordering::Relaxed);
    Some(handle)
}

/// One answered request.
pub fn request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let labels = [
        ("method", method.to_owned()),
        ("route", route.to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!("madoguchi_http_requests_total", &labels).increment(1);
    metrics::histogram!("madoguchi_http_request_duration_seconds", &labels)
        .record(elapsed.as_secs_f64());
}

pub use madoguchi_app::metrics::{hash_queue, hash_time, sign_in};

/// `GET /metrics`: the text exposition, with the outbox and the pool read now.
async fn scrape(state: web::Data<AppState>, handle: web::Data<PrometheusHandle>) -> HttpResponse {
    let now = state.clock.now();
    let outbox = state
        .db(move |c| Ok(madoguchi_persistence::outbox::pending_summary(c)?))
        .await;
    if let Ok((pending, oldest)) = outbox {
        metrics::gauge!("madoguchi_outbox_pending").set(pending as f64);
        let age = oldest.map_or(0.0, |t| (now - t).num_milliseconds().max(0) as f64 / 1000.0);
        metrics::gauge!("madoguchi_outbox_oldest_age_seconds").set(age);
    }
    let pool = state.pool.state();
    metrics::gauge!("madoguchi_pool_connections_in_use")
        .set(f64::from(pool.connections - pool.idle_connections));
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(handle.render())
}

/// Serves `/metrics` until the process stops.
pub async fn serve(
    listener: TcpListener,
    handle: PrometheusHandle,
    state: AppState,
) -> std::io::Result<()> {
    let handle = web::Data::new(handle);
    let state = web::Data::new(state);
    HttpServer::new(move || {
        App::new()
            .app_data(handle.clone())
            .app_data(state.clone())
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    .listen(listener)?
    .run()
    .await
}
