//! Madoguchi's HTTP API (actix-web). Handlers parse input into domain types, call one flow
//! and map the result; storage work runs off the async executor.
//!
//! Depends on `madoguchi-domain` and `madoguchi-persistence`.

mod health;
mod problem;

use std::net::TcpListener;

use actix_web::{App, HttpServer, web};
use madoguchi_persistence::Pool;

/// What every handler may reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
}

/// Registers every route under `/api`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/api/v1").service(health::health))
        .default_service(web::to(problem::not_found));
}

/// Serves until the process is told to stop.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let data = web::Data::new(state);
    HttpServer::new(move || App::new().app_data(data.clone()).configure(configure))
        .listen(listener)?
        .run()
        .await
}
