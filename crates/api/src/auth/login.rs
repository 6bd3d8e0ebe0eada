//! `POST /api/v1/auth/login`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use madoguchi_app::login::{self as sign_in, Credentials};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, shape_issues};
use crate::state::AppState;
use crate::tokens::{DEVICE_COOKIE, TokenResponse};

/// The postcard's temporary ID and password, or the member's own user ID and password.
/// Full-width characters are accepted (NFKC).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"login_id": "4821093756102", "password": "Ab3dEf5GhK"}))]
pub struct LoginRequest {
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub login_id: Option<String>,
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub password: Option<String>,
}

/// Signs in. `next_step` says where the member goes: `verify_identity` (first sign-in with
/// the postcard), `change_password` (a reissued temporary password), `second_factor` (with
/// `second_factor_methods`: a code is asked next, with a token of 5 minutes that opens only
/// the second-factor routes) or `menu`. A remembered browser's `madoguchi_device` cookie
/// skips the second factor of a password sign-in.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the same token is set as the `madoguchi_session` cookie.", body = TokenResponse),
        (status = 401, description = "`invalid_credentials`: unknown ID, wrong password or retired temporary credentials (one answer for all).", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`credentials_expired`, `account_suspended`, or `second_factor_unavailable` (the kenpo requires two-step login and the member has no factor and no verified address; with the kenpo's `contact`), only after a correct password.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`account_locked`, with `Retry-After`.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts` from this address, with `Retry-After`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`maintenance`, or `unavailable` while the database does not answer, with `Retry-After`.", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::JsonBody,
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    body: ApiJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    let credentials = Credentials {
        login_id: body.login_id.unwrap_or_default(),
        password: body.password.unwrap_or_default(),
        device: req.cookie(DEVICE_COOKIE).map(|c| c.value().to_owned()),
        browser: super::browser(&req),
    };
    let logged_in = sign_in::login(&state, credentials, client, now).await?;
    super::opened_asking(
        &state,
        StatusCode::OK,
        &logged_in.opened,
        None,
        logged_in.second_factor_methods,
        now,
    )
}
