//! Madoguchi's HTTP API (actix-web), documented with utoipa. A route (`routes`) is one handler
//! file: its extractors check the token (`session`) and parse the body into domain types
//! (`json`), it calls one use case of `madoguchi-app`, and maps the result; every error
//! becomes a problem in one place (`error`).
//!
//! Depends on `madoguchi-app`, `madoguchi-domain` and `madoguchi-persistence`.

mod account;
mod auth;
mod client;
pub mod config;
mod contact;
mod context;
pub mod error;
mod health;
mod json;
mod jwt_hmac;
mod maintenance;
mod me;
pub mod medical;
mod methods;
pub mod metrics;
mod notices;
mod onboarding;
mod openapi;
mod recovery;
mod routes;
mod security;
mod session;
mod spa;
pub mod state;
mod terms;
pub mod tokens;

use std::net::TcpListener;

use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub use madoguchi_app::{availability, clock, hashing, mail};
pub use openapi::openapi;
pub use state::AppState;

use crate::error::{ApiError, FieldIssue};

fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::field(FieldIssue::new(
        "query",
        madoguchi_domain::FieldCode::Invalid,
        format!("クエリ文字列が正しくありません: {err}"),
        format!("bad query string: {err}"),
    ))
    .into()
}

/// The whole app: middleware, the documented routes, the API documents, the member SPA for
/// paths outside `/api/`, and a problem+json 404 for every other path.
pub fn app(
    state: AppState,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<actix_web::body::BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let hsts = context::Hsts(state.config.production);
    // Built on the worker that runs this app: the connections it opens are driven there.
    let reads = session::WorkerReads(state.session_reads(workers()));
    let (app, api) = routes::api_v1(
        App::new()
            .into_utoipa_app()
            .openapi(openapi::ApiDoc::openapi())
            .app_data(web::Data::new(state))
            .app_data(web::Data::new(hsts))
            .app_data(web::Data::new(reads))
            .app_data(web::QueryConfig::default().error_handler(query_error)),
    )
    .split_for_parts();
    app.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api))
        .default_service(web::to(spa::serve))
        .wrap(from_fn(maintenance::guard))
        .wrap(from_fn(methods::guard))
        .wrap(from_fn(context::context))
}

/// A worker per core.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Serves until the process is told to stop.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    error::problem::install_framework_answers();
    // Storage work runs on the workers' blocking threads (`AppState::db`): no more of them than
    // the pool has connections. Left at tokio's default (hundreds), a burst of reads starts a
    // thread per request, which then queue on the pool and contend for the allocator, and every
    // new thread grows the memory.
    let workers = workers();
    let blocking = (state.pool.max_size() as usize).div_ceil(workers).max(1);
    HttpServer::new(move || app(state.clone()))
        .workers(workers)
        .worker_max_blocking_threads(blocking)
        .listen(listener)?
        .run()
        .await
}
