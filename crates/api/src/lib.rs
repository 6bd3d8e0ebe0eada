//! Madoguchi's HTTP API (actix-web), documented with utoipa. Handlers parse input into
//! domain types, call one flow and map the result; storage and hashing run off the async
//! executor.
//!
//! Depends on `madoguchi-domain` and `madoguchi-persistence`.

mod account;
mod auth;
pub mod client;
mod codes;
pub mod config;
pub mod contact;
pub mod context;
pub mod error;
mod health;
pub mod json;
mod jwt_hmac;
mod maintenance;
mod me;
mod messages;
mod methods;
pub mod metrics;
mod onboarding;
pub mod problem;
mod recovery;
mod session;
mod spa;
pub mod state;
mod terms;
pub mod tokens;

use std::net::TcpListener;

use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpServer, web};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub use madoguchi_app::{availability, clock, hashing, mail};
pub use state::AppState;

use crate::error::{ApiError, FieldIssue};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Madoguchi API",
        description = "健康保険組合の会員ポータル Madoguchi の API。ハガキの仮ユーザID・仮パスワードでのログイン、本人確認、ユーザID・パスワード・メールアドレスの登録、会員情報。\n\nThe API of Madoguchi, the member portal of Japanese health insurance societies. Errors are RFC 9457 `application/problem+json` with a stable `code`; `detail` is Japanese unless `Accept-Language: en`. Tokens: `Authorization: Bearer` or the `madoguchi_session` cookie.",
        license(name = "Apache-2.0")
    ),
    tags(
        (name = "status", description = "Health and maintenance windows"),
        (name = "auth", description = "Login, logout and the session"),
        (name = "onboarding", description = "First sign-in: identity check and registration"),
        (name = "member", description = "The signed-in member"),
        (name = "terms", description = "Terms of use"),
        (name = "recovery", description = "Forgotten user ID or password"),
    ),
    modifiers(&Security),
    components(schemas(problem::Problem, problem::FieldProblem, codes::ProblemCode, codes::FieldCode))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(tokens::COOKIE))),
        );
    }
}

/// Every documented route: the served list and the documented list are one.
fn api_v1<T>(app: utoipa_actix_web::UtoipaApp<T>) -> utoipa_actix_web::UtoipaApp<T>
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    app.service(
        utoipa_actix_web::scope("/api/v1")
            .service(health::health)
            .service(maintenance::status)
            .service(auth::login::login)
            .service(auth::logout::logout)
            .service(me::session_info)
            .service(terms::public_terms)
            .service(terms::onboarding_terms)
            .service(onboarding::identity::identity)
            .service(onboarding::credentials::check)
            .service(onboarding::credentials::commit)
            .service(me::me)
            .service(account::change_password)
            .service(account::change_email)
            .service(account::notifications)
            .service(account::resend_verification)
            .service(recovery::forgot_user_id)
            .service(recovery::forgot_password)
            .service(recovery::verify_email),
    )
}

/// The OpenAPI document, built from the same route list the server serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) =
        api_v1(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    api
}

fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::field(FieldIssue::new(
        "query",
        "invalid",
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
    let (app, api) = api_v1(
        App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .app_data(web::Data::new(state))
            .app_data(web::Data::new(hsts))
            .app_data(web::QueryConfig::default().error_handler(query_error)),
    )
    .split_for_parts();
    app.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api))
        .default_service(web::to(spa::serve))
        .wrap(from_fn(maintenance::guard))
        .wrap(from_fn(methods::guard))
        .wrap(from_fn(context::context))
}

/// Serves until the process is told to stop.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    problem::install_framework_answers();
    // Storage work runs on the workers' blocking threads (`AppState::db`): no more of them than
    // the pool has connections. Left at tokio's default (hundreds), a burst of reads starts a
    // thread per request, which then queue on the pool and contend for the allocator, and every
    // new thread grows the memory.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let blocking = (state.pool.max_size() as usize).div_ceil(workers).max(1);
    HttpServer::new(move || app(state.clone()))
        .workers(workers)
        .worker_max_blocking_threads(blocking)
        .listen(listener)?
        .run()
        .await
}
