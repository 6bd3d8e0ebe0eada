//! `GET /api/v1/health`: answers even during maintenance, so a load balancer can tell a
//! closed portal from a broken one.

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

/// Whether the server and its database answer (also during maintenance).
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
