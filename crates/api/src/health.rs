//! `GET /api/v1/health`: answers even during maintenance, so a load balancer can tell a
//! closed portal from a broken one.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;

use crate::AppState;

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let database_ok = web::block(move || {
        pool.get()
            .ok()
            .is_some_and(|mut conn| madoguchi_persistence::db::ping(&mut conn))
    })
    .await
    .unwrap_or(false);
    if database_ok {
        HttpResponse::Ok().json(Health { status: "ok" })
    } else {
        HttpResponse::ServiceUnavailable().json(Health {
            status: "unavailable",
        })
    }
}
