//! `GET /api/v1/health` (readiness) and `GET /api/v1/health/live` (liveness): both answer even
//! during maintenance, so a load balancer can tell a closed portal from a broken one, and an
//! orchestrator a server that waits for its database from one that must be restarted.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Health {
    /// `ok`, or `unavailable` when the database does not answer.
    status: &'static str,
}

/// Readiness: whether the server and its database answer (also during maintenance).
///
/// 503 while the database is away. For a load balancer's readiness check.
#[utoipa::path(tag = "status", responses((status = 200, body = Health), (status = 503, body = Health)))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    // The probe's answer when it runs (`serve`): at once, never queued behind requests.
    let database_ok = match state.availability.probed() {
        Some(ok) => ok,
        None => state
            .db(|c| Ok(madoguchi_persistence::db::ping(c)))
            .await
            .unwrap_or(false),
    };
    if database_ok {
        HttpResponse::Ok().json(Health { status: "ok" })
    } else {
        HttpResponse::ServiceUnavailable().json(Health {
            status: "unavailable",
        })
    }
}

/// Liveness: whether the process serves, whatever its database does.
///
/// 200 while it runs (also during maintenance). For an orchestrator's liveness check:
/// restarting a server whose database is away does not bring the database back, and this one
/// serves again by itself when it returns (`/health` says when).
#[utoipa::path(tag = "status", responses((status = 200, body = Health)))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}
